package dev.proxima.envs.box2d;

import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.util.function.LongFunction;

/**
 * Gymnasium's {@code LunarLander-v3}: land a lander on the pad with four discrete actions. The physics, observation,
 * reward and options are described in {@link LunarLanderEnv}.
 *
 * <h2>Action space</h2>
 * {@code Discrete(4)}: {@code 0} do nothing, {@code 1} fire the left orientation engine, {@code 2} fire the main engine,
 * {@code 3} fire the right orientation engine.
 *
 * <p>Make one with {@code new LunarLander()} (Gymnasium's defaults), {@code Box2dEnvs.lunarLander().build()} (with
 * options), or by id: {@code EnvRegistry.global().make("LunarLander-v3", seed)}.
 */
public final class LunarLander extends LunarLanderEnv<Integer> {
    private static final Discrete ACTIONS = new Discrete(4);

    /** Gymnasium's defaults: gravity -10, no wind. Call {@link #reset(long)} before stepping. */
    public LunarLander() {
        this(-10.0, false, 15.0, 1.5, Box2dEnv::defaultRandom);
    }

    LunarLander(double gravity, boolean enableWind, double windPower, double turbulencePower,
            LongFunction<EnvRandom> random) {
        super(gravity, enableWind, windPower, turbulencePower, random);
    }

    @Override
    public Space<Integer> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return "LunarLander-v3";
    }

    @Override
    public Step<float[]> step(Integer action) {
        if (action == null || action < 0 || action > 3) {
            throw new EnvContractException(name() + ": action " + action + " is outside the action space Discrete(4)."
                    + " Use 0 (do nothing), 1 (left engine), 2 (main engine) or 3 (right engine).");
        }
        checkCanStep();
        int a = action;
        boolean side = a == 1 || a == 3;
        return advance(a == 2, 1.0, side, side ? a - 2 : 0, 1.0);
    }
}
