/**
 * Exporting trained policies for use outside the JVM: {@link dev.proxima.core.export.OnnxExport} writes an agent's
 * deterministic policy (and optionally its value function) as an ONNX model, with a protocol-buffers writer of its
 * own so that core keeps no dependencies.
 */
package dev.proxima.core.export;
