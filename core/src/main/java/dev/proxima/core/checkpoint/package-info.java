/**
 * The checkpoint file format: {@link dev.proxima.core.checkpoint.Checkpoints} writes and reads
 * {@link dev.proxima.core.checkpoint.AgentRecord}s (a policy) and {@link dev.proxima.core.checkpoint.RunRecord}s (a
 * whole training run) as safetensors files, atomically, with a checksum per tensor; nothing is executed when a file is
 * read. The records are plain data: the trainer snapshots itself into a record and restores from one, so the format
 * knows nothing of the trainer's internals (and depends on neither {@code dev.proxima.core.ppo} nor
 * {@code dev.proxima.core.train}).
 */
package dev.proxima.core.checkpoint;
