/**
 * A dependency-free TensorBoard event-file writer: TFRecord framing with masked CRC-32C and hand-encoded
 * {@code tensorflow.Event} protobuf messages holding scalar summaries.
 */
package dev.proxima.cli.tensorboard;
