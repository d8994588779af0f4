/**
 * JMH benchmarks of the core engine: {@link dev.proxima.bench.InferBench} (rollout inference) and
 * {@link dev.proxima.bench.TrainStepBench} (one minibatch gradient step), {@link dev.proxima.bench.HeadBench} (the
 * policy heads, with and without action masks). Run
 * {@code java -jar bench/target/benchmarks.jar} after {@code ./mvnw -q -B -pl bench -am package -DskipTests}.
 *
 * <p>{@link dev.proxima.bench.Bench} is the benchmark runner behind {@code BENCHMARKS.md}: learning quality of the
 * tuned presets against published anchors, and end-to-end training speed
 * ({@code java -cp bench/target/benchmarks.jar dev.proxima.bench.Bench quality|speed|tune}).
 */
package dev.proxima.bench;
