package dev.proxima.envs.classic;

import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An under-powered car at the bottom of a sinusoidal valley must rock back and forth to reach the flag on the right
 * hill. Gymnasium's {@code MountainCar-v0}, step for step.
 *
 * <h2>Action space</h2>
 * {@code Discrete(3)}: {@code 0} accelerates to the left, {@code 1} does not accelerate, {@code 2} accelerates to the
 * right.
 *
 * <h2>Observation</h2>
 * {@code Box((2,), float32)}, the state cast to float32:
 * <table>
 * <caption>MountainCar observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Min</th><th>Max</th></tr>
 * <tr><td>0</td><td>position of the car along the x axis</td><td>-1.2</td><td>0.6</td></tr>
 * <tr><td>1</td><td>velocity of the car</td><td>-0.07</td><td>0.07</td></tr>
 * </table>
 *
 * <h2>Reward</h2>
 * {@code -1} for every step, including the one that reaches the goal.
 *
 * <h2>Starting state</h2>
 * Position uniform in {@code [-0.6, -0.4)}, velocity 0.
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when {@code position >= 0.5} and {@code velocity >= 0}. <b>Truncates</b> after 200 steps, by the
 * {@link dev.proxima.core.env.TimeLimit} of {@code MountainCar-v0}'s spec.
 *
 * <h2>Dynamics</h2>
 * Moore (1990), "Efficient memory-based learning for robot control", PhD thesis, as in
 * {@code gymnasium/envs/classic_control/mountain_car.py}, in float64:
 * {@code v += (action - 1) * 0.001 + cos(3 p) * (-0.0025)} (the two terms summed first), {@code v} clipped to
 * {@code [-0.07, 0.07]}, {@code p += v} with the NEW velocity, {@code p} clipped to {@code [-1.2, 0.6]}. The left
 * wall is inelastic: at {@code p == -1.2} a negative velocity becomes 0. There is no such rule at the right end.
 */
public final class MountainCar extends ClassicControlEnv<Integer> {
    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;
    private static final double GOAL_POSITION = 0.5;
    private static final double GOAL_VELOCITY = 0;
    private static final double FORCE = 0.001;
    private static final double GRAVITY = 0.0025;

    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = Box.of(new float[] {(float) MIN_POSITION, (float) -MAX_SPEED},
            new float[] {(float) MAX_POSITION, (float) MAX_SPEED});
    private static final List<String> LAYOUT = List.of("position", "velocity");

    private double position;
    private double velocity;

    /** An unseeded env; call {@link #reset(long)} before stepping. */
    public MountainCar() {}

    @Override
    public Space<float[]> observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Space<Integer> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return "MountainCar-v0";
    }

    @Override
    public Step<float[]> step(Integer action) {
        int a = discreteAction(action, 3, "0 (accelerate left), 1 (don't accelerate) or 2 (accelerate right)");
        checkCanStep();
        return finishStep(advance(a));
    }

    @Override
    double advance(float action) {
        int a = (int) action;
        velocity += (a - 1) * FORCE + Math.cos(3 * position) * (-GRAVITY);
        velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
        position += velocity;
        position = clip(position, MIN_POSITION, MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0; // inelastic collision with the left wall
        }
        boolean terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
        terminates(terminated);
        return -1.0;
    }

    @Override
    void drawInitialState(RandomGenerator rng) {
        position = uniform(rng, -0.6, -0.4);
        velocity = 0;
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
    }

    /** Gymnasium's picture: the valley, a black car with grey wheels and a yellow flag at 0.5, on a 600x400 screen. */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        return MountainCarPainter.paint(width, height, position, GOAL_POSITION);
    }
}
