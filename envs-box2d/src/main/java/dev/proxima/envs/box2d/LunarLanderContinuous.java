package dev.proxima.envs.box2d;

import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.function.LongFunction;

/**
 * Gymnasium's {@code LunarLanderContinuous-v3} ({@code LunarLander} with {@code continuous=True}): land on the pad with
 * continuous throttles. The physics, observation, reward and options are described in {@link LunarLanderEnv}.
 *
 * <h2>Action space</h2>
 * {@code Box(-1, 1, (2,), float32)}, clipped to the box first (Gymnasium accepts any value):
 * <ul>
 *   <li>{@code action[0]}, main engine: off for {@code <= 0}; for {@code 0 < a <= 1} the throttle is
 *       {@code (a + 1) / 2}, from 50% to 100% (the engine cannot run below 50%).</li>
 *   <li>{@code action[1]}, side engines: off for {@code |a| <= 0.5}; the left engine for {@code a < -0.5}, the right
 *       one for {@code a > 0.5}, with throttle {@code |a|}.</li>
 * </ul>
 *
 * <p>Make one with {@code new LunarLanderContinuous()}, {@code Box2dEnvs.lunarLanderContinuous().build()} (with
 * options), or by id: {@code EnvRegistry.global().make("LunarLanderContinuous-v3", seed)}.
 */
public final class LunarLanderContinuous extends LunarLanderEnv<float[]> {
    private static final Box ACTIONS = Box.of(-1f, 1f, 2);

    /** Gymnasium's defaults: gravity -10, no wind. Call {@link #reset(long)} before stepping. */
    public LunarLanderContinuous() {
        this(-10.0, false, 15.0, 1.5, Box2dEnv::defaultRandom);
    }

    LunarLanderContinuous(double gravity, boolean enableWind, double windPower, double turbulencePower,
            LongFunction<EnvRandom> random) {
        super(gravity, enableWind, windPower, turbulencePower, random);
    }

    @Override
    public Space<float[]> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return "LunarLanderContinuous-v3";
    }

    @Override
    public Step<float[]> step(float[] action) {
        continuousAction(action, 2);
        checkCanStep();
        // np.clip(action, -1, +1).astype(np.float64)
        double a0 = clip(action[0], -1, 1);
        double a1 = clip(action[1], -1, 1);
        boolean main = a0 > 0.0;
        boolean side = Math.abs(a1) > 0.5;
        return advance(main, main ? (clip(a0, 0.0, 1.0) + 1.0) * 0.5 : 0, side, side ? Math.signum(a1) : 0,
                side ? clip(Math.abs(a1), 0.5, 1.0) : 0);
    }
}
