package dev.proxima.envs.classic;

import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The mountain car with a continuous throttle: the car must reach the flag at 0.45 while paying for the force it uses.
 * Gymnasium's {@code MountainCarContinuous-v0}, step for step, including NumPy 2's float32 arithmetic.
 *
 * <h2>Action space</h2>
 * {@code Box(-1.0, 1.0, (1,), float32)}: the throttle, multiplied by a power of 0.0015. The raw env clips an action
 * outside {@code [-1, 1]} for the dynamics (but not for the reward) as Gymnasium does; {@code EnvSpec.make} rejects
 * it (see {@link ClassicControlEnv}).
 *
 * <h2>Observation</h2>
 * {@code Box((2,), float32)}, which is the state itself once a step has stored it as float32:
 * <table>
 * <caption>MountainCarContinuous observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Min</th><th>Max</th></tr>
 * <tr><td>0</td><td>position of the car along the x axis</td><td>-1.2</td><td>0.6</td></tr>
 * <tr><td>1</td><td>velocity of the car</td><td>-0.07</td><td>0.07</td></tr>
 * </table>
 *
 * <h2>Reward</h2>
 * {@code -0.1 * a^2} per step with the <em>unclipped</em> action {@code a} (so {@code a = -5} costs 2.5), plus
 * {@code 100} on the step that reaches the goal.
 *
 * <h2>Starting state</h2>
 * Position uniform in {@code [-0.6, -0.4)}, velocity 0, held as float64 until the first step.
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when {@code position >= 0.45} and {@code velocity >= 0}. <b>Truncates</b> after 999 steps, by the
 * {@link dev.proxima.core.env.TimeLimit} of {@code MountainCarContinuous-v0}'s spec. Solved at a return of 90.
 *
 * <h2>Dynamics</h2>
 * {@code gymnasium/envs/classic_control/continuous_mountain_car.py} (Moore 1990, adapted by Schaul and de Broissia):
 * {@code force = clip(a, -1, 1)}, {@code v += force * 0.0015 - 0.0025 cos(3 p)}, then the clips and the inelastic
 * left wall of {@link MountainCar}. Gymnasium stores the new state as a float32 array, and NumPy 2 (NEP 50) keeps
 * float32 scalars float32 when mixed with Python floats; so from the second step of an episode on the update runs in
 * float32, while the first step after {@code reset} (a float64 state) mixes float64 and float32. Both paths are
 * reproduced exactly; a plain float64 port drifts by up to about 1e-5 over 999 steps.
 */
public final class MountainCarContinuous extends ClassicControlEnv<float[]> {
    private static final float MIN_ACTION = -1.0f;
    private static final float MAX_ACTION = 1.0f;
    private static final double GOAL_POSITION = 0.45; // was 0.5 in gym, 0.45 in Arnaud de Broissia's version
    private static final double GOAL_VELOCITY = 0;
    private static final double POWER = 0.0015;
    private static final double MIN_POSITION = MountainCar.MIN_POSITION;
    private static final double MAX_POSITION = MountainCar.MAX_POSITION;
    private static final double MAX_SPEED = MountainCar.MAX_SPEED;

    private static final Box ACTIONS = Box.of(MIN_ACTION, MAX_ACTION, 1);
    private static final Box OBSERVATIONS = Box.of(new float[] {(float) MIN_POSITION, (float) -MAX_SPEED},
            new float[] {(float) MAX_POSITION, (float) MAX_SPEED});
    private static final List<String> LAYOUT = List.of("position", "velocity");

    private double position;
    private double velocity;
    /** Whether the state is a float32 array (after a step) rather than float64 (after reset or setState). */
    private boolean float32State;

    /** An unseeded env; call {@link #reset(long)} before stepping. */
    public MountainCarContinuous() {}

    @Override
    public Space<float[]> observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Space<float[]> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return "MountainCarContinuous-v0";
    }

    @Override
    public Step<float[]> step(float[] action) {
        float a = continuousAction(action);
        checkCanStep();
        return finishStep(advance(a));
    }

    @Override
    double advance(float a) {
        // Python's min(max(a, -1.0), 1.0) returns the float32 a itself when it is in range, else the Python float
        // bound; the two cases then round differently under NEP 50.
        boolean inRange = a >= MIN_ACTION && a <= MAX_ACTION;
        double clippedForce = a > MAX_ACTION ? MAX_ACTION : MIN_ACTION; // used only when !inRange
        boolean terminated;
        if (float32State) {
            float p = (float) position;
            float v = (float) velocity;
            double gravity = 0.0025 * Math.cos(3f * p); // 3 * float32 is float32; math.cos widens it
            float dv = inRange ? a * (float) POWER - (float) gravity : (float) (clippedForce * POWER - gravity);
            v = v + dv;
            if (v > (float) MAX_SPEED) {
                v = (float) MAX_SPEED;
            }
            if (v < (float) -MAX_SPEED) {
                v = (float) -MAX_SPEED;
            }
            p = p + v;
            if (p > (float) MAX_POSITION) {
                p = (float) MAX_POSITION;
            }
            if (p < (float) MIN_POSITION) {
                p = (float) MIN_POSITION;
            }
            if (p == (float) MIN_POSITION && v < 0) {
                v = 0; // inelastic collision with the left wall
            }
            terminated = p >= (float) GOAL_POSITION && v >= GOAL_VELOCITY;
            position = p;
            velocity = v;
        } else {
            double gravity = 0.0025 * Math.cos(3 * position);
            double dv = inRange ? (double) (a * (float) POWER - (float) gravity) : clippedForce * POWER - gravity;
            double v = velocity + dv;
            v = clip(v, -MAX_SPEED, MAX_SPEED);
            double p = position + v;
            p = clip(p, MIN_POSITION, MAX_POSITION);
            if (p == MIN_POSITION && v < 0) {
                v = 0;
            }
            terminated = p >= GOAL_POSITION && v >= GOAL_VELOCITY;
            // Gymnasium stores np.array([position, velocity], dtype=float32): the rounding happens after the test.
            position = (float) p;
            velocity = (float) v;
            float32State = true;
        }
        double ad = a;
        double reward = (terminated ? 100.0 : 0) - ad * ad * 0.1; // math.pow(action[0], 2) * 0.1, unclipped
        terminates(terminated);
        return reward;
    }

    @Override
    void drawInitialState(RandomGenerator rng) {
        position = uniform(rng, -0.6, -0.4);
        velocity = 0;
        float32State = false;
    }

    @Override
    void writeObservation(float[] dst, int offset) {
        dst[offset] = (float) position;
        dst[offset + 1] = (float) velocity;
    }

    /** {@code position, velocity}. */
    @Override
    public List<String> stateLayout() {
        return LAYOUT;
    }

    @Override
    public double[] state() {
        return new double[] {position, velocity};
    }

    @Override
    void assignState(double[] s) {
        position = s[0];
        velocity = s[1];
        float32State = false;
    }

    /**
     * Overwrites the state with a float32 one, as the state Gymnasium stores after every step; the next step then
     * takes the float32 path. {@link #setState(double...)} instead sets a float64 state, as after {@code reset}.
     */
    public void setStateFloat32(float position, float velocity) {
        setState(position, velocity);
        float32State = true;
    }

    /** Whether the state is float32 (after a step or {@link #setStateFloat32}) rather than float64. */
    public boolean isFloat32State() {
        return float32State;
    }

    /** Gymnasium's picture: the valley, a black car with grey wheels and a yellow flag at 0.45. */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        return MountainCarPainter.paint(width, height, position, GOAL_POSITION);
    }

    /** Whether the state is stored as float32 decides the arithmetic of the next step (see {@link #step}). */
    @Override
    long extraState() {
        return float32State ? 1 : 0;
    }

    @Override
    void restoreExtraState(long extra) {
        float32State = extra != 0;
    }
}
