/**
 * File formats: {@link dev.proxima.core.io.SafeTensors}, Hugging Face's safetensors format for named tensors, used
 * for checkpoints (network parameters, optimiser moments, normaliser statistics). Reading validates the whole file and
 * executes nothing; writing replaces files atomically.
 */
package dev.proxima.core.io;
