/**
 * JMH benchmarks of the core engine: {@link dev.proxima.bench.InferBench} (rollout inference) and
 * {@link dev.proxima.bench.TrainStepBench} (one minibatch gradient step). Run
 * {@code java -jar bench/target/benchmarks.jar} after {@code ./mvnw -q -B -pl bench -am package -DskipTests}.
 */
package dev.proxima.bench;
