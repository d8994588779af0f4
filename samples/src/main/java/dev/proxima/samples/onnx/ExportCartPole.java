package dev.proxima.samples.onnx;

import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.train.PpoLoop;
import dev.proxima.core.ppo.Preset;
import dev.proxima.core.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains CartPole-v1 and exports the policy as ONNX for {@link ServePolicy} (or any ONNX runtime):
 * {@code ./mvnw -q -B -pl samples -am package -DskipTests -Dsample=onnx.ExportCartPole} writes
 * {@code cartpole.onnx} ({@code -Dsteps=N}, {@code -Donnx=path} to change the budget and the file).
 */
public final class ExportCartPole {
    private ExportCartPole() {}

    public static TrainingResult train(long steps) {
        PpoConfig config = PpoConfig.builder().env("CartPole-v1").preset(Preset.TUNED).seed(1).build();
        return PpoLoop.train(config, steps);
    }

    public static void main(String[] args) throws IOException {
        long steps = Long.getLong("steps", 100_000L);
        Path file = Path.of(System.getProperty("onnx", "cartpole.onnx"));
        TrainingResult result = train(steps);
        EvalResult eval = result.agent().evaluate(10, true, 7);
        result.agent().exportOnnx(file);
        System.out.printf(Locale.ROOT, "CartPole-v1 after %d steps: %.1f over 10 episodes; policy written to %s%n",
                result.steps(), eval.meanReturn(), file.toAbsolutePath());
    }
}
