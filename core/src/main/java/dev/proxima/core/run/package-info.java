/** Reproducibility: seeded random streams with exportable state ({@link dev.proxima.core.run.Rng}). */
package dev.proxima.core.run;
