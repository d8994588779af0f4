package dev.proxima.envs.classic;

import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvSpec;
import java.util.List;

/**
 * The specs of the five classic-control envs, with Gymnasium's ids, time limits and reward thresholds:
 * <table>
 * <caption>Classic-control specs</caption>
 * <tr><th>Id</th><th>Class</th><th>Time limit</th><th>Reward threshold</th></tr>
 * <tr><td>{@code CartPole-v1}</td><td>{@link CartPole}</td><td>500</td><td>475</td></tr>
 * <tr><td>{@code Pendulum-v1}</td><td>{@link Pendulum}</td><td>200</td><td>none</td></tr>
 * <tr><td>{@code MountainCar-v0}</td><td>{@link MountainCar}</td><td>200</td><td>-110</td></tr>
 * <tr><td>{@code MountainCarContinuous-v0}</td><td>{@link MountainCarContinuous}</td><td>999</td><td>90</td></tr>
 * <tr><td>{@code Acrobot-v1}</td><td>{@link Acrobot}</td><td>500</td><td>-100</td></tr>
 * </table>
 * {@code spec.make(seed)} gives the env as Gymnasium's {@code make} does: contract-checked and time-limited.
 * {@link ClassicControlProvider} registers these same instances with {@link dev.proxima.core.env.EnvRegistry}.
 */
public final class ClassicControl {
    private static final EnvSpec<float[], Integer> CART_POLE = spec("CartPole-v1", seed -> new CartPole(), 500, 475);
    private static final EnvSpec<float[], float[]> PENDULUM =
            spec("Pendulum-v1", seed -> new Pendulum(), 200, Double.NaN);
    private static final EnvSpec<float[], Integer> MOUNTAIN_CAR =
            spec("MountainCar-v0", seed -> new MountainCar(), 200, -110);
    private static final EnvSpec<float[], float[]> MOUNTAIN_CAR_CONTINUOUS =
            spec("MountainCarContinuous-v0", seed -> new MountainCarContinuous(), 999, 90);
    private static final EnvSpec<float[], Integer> ACROBOT = spec("Acrobot-v1", seed -> new Acrobot(), 500, -100);
    private static final List<EnvSpec<?, ?>> ALL =
            List.of(CART_POLE, PENDULUM, MOUNTAIN_CAR, MOUNTAIN_CAR_CONTINUOUS, ACROBOT);

    private ClassicControl() {}

    /** {@code CartPole-v1}: {@link CartPole}, 500 steps, solved at 475. */
    public static EnvSpec<float[], Integer> cartPole() {
        return CART_POLE;
    }

    /** {@code Pendulum-v1}: {@link Pendulum}, 200 steps, no reward threshold. */
    public static EnvSpec<float[], float[]> pendulum() {
        return PENDULUM;
    }

    /** {@code MountainCar-v0}: {@link MountainCar}, 200 steps, solved at -110. */
    public static EnvSpec<float[], Integer> mountainCar() {
        return MOUNTAIN_CAR;
    }

    /** {@code MountainCarContinuous-v0}: {@link MountainCarContinuous}, 999 steps, solved at 90. */
    public static EnvSpec<float[], float[]> mountainCarContinuous() {
        return MOUNTAIN_CAR_CONTINUOUS;
    }

    /** {@code Acrobot-v1}: {@link Acrobot}, 500 steps, solved at -100. */
    public static EnvSpec<float[], Integer> acrobot() {
        return ACROBOT;
    }

    /** All five specs, in the order of the table above. */
    public static List<EnvSpec<?, ?>> all() {
        return ALL;
    }

    private static <A> EnvSpec<float[], A> spec(String id, EnvFactory<float[], A> factory, int maxEpisodeSteps,
            double rewardThreshold) {
        return new EnvSpec<>(id, factory, maxEpisodeSteps, rewardThreshold);
    }

}
