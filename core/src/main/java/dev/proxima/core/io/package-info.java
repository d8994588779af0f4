/**
 * File formats: {@link dev.proxima.core.io.SafeTensors}, Hugging Face's safetensors format for named tensors, used
 * for checkpoints (network parameters, optimiser moments, normaliser statistics). Reading validates the whole file and
 * executes nothing; writing replaces files atomically through {@link dev.proxima.core.io.AtomicFiles}, which other
 * modules (the CLI's run directory) use for their files too.
 */
package dev.proxima.core.io;
