package dev.proxima.envs.classic;

import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import dev.proxima.envs.render.Canvas;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A pole is attached by an un-actuated joint to a cart moving along a frictionless track; pushing the cart left or
 * right keeps the pole upright. Gymnasium's {@code CartPole-v1}, step for step.
 *
 * <h2>Action space</h2>
 * {@code Discrete(2)}: {@code 0} pushes the cart to the left, {@code 1} to the right, with a force of 10 N.
 *
 * <h2>Observation</h2>
 * {@code Box((4,), float32)}, the state cast to float32:
 * <table>
 * <caption>CartPole observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Min</th><th>Max</th></tr>
 * <tr><td>0</td><td>cart position x (m)</td><td>-4.8</td><td>4.8</td></tr>
 * <tr><td>1</td><td>cart velocity (m/s)</td><td>-inf</td><td>inf</td></tr>
 * <tr><td>2</td><td>pole angle theta (rad, 0 = upright)</td><td>~ -0.418 (-24 deg)</td><td>~ 0.418 (24 deg)</td></tr>
 * <tr><td>3</td><td>pole angular velocity (rad/s)</td><td>-inf</td><td>inf</td></tr>
 * </table>
 * The bounds are twice the termination thresholds, so every observation lies in the space.
 *
 * <h2>Reward</h2>
 * {@code +1} for every step, including the one that terminates (Gymnasium's default {@code sutton_barto_reward=False}).
 *
 * <h2>Starting state</h2>
 * All four state variables uniform in {@code [-0.05, 0.05)}.
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when, on the new state, {@code |x| > 2.4} or {@code |theta| > 12 deg} (0.2095 rad), strictly.
 * <b>Truncates</b> after 500 steps, by the {@link dev.proxima.core.env.TimeLimit} of {@code CartPole-v1}'s spec, not
 * by this class.
 *
 * <h2>Dynamics</h2>
 * Barto, Sutton &amp; Anderson (1983), "Neuronlike adaptive elements that can solve difficult learning control
 * problems", with the equations of Florian (2007), "Correct equations for the dynamics of the cart-pole system", as
 * in {@code gymnasium/envs/classic_control/cartpole.py}: explicit Euler with {@code tau = 0.02 s}, in float64.
 */
public final class CartPole extends ClassicControlEnv<Integer> {
    private static final double GRAVITY = 9.8;
    private static final double MASS_CART = 1.0;
    private static final double MASS_POLE = 0.1;
    private static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    private static final double LENGTH = 0.5; // actually half the pole's length, as in Gymnasium
    private static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    private static final double FORCE_MAG = 10.0;
    private static final double TAU = 0.02; // seconds between state updates
    /** 12 degrees, written as Gymnasium computes it so the threshold is the same double. */
    static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;

    private static final Discrete ACTIONS = new Discrete(2);
    private static final Box OBSERVATIONS = Box.of(
            new float[] {(float) (-X_THRESHOLD * 2), Float.NEGATIVE_INFINITY, (float) (-THETA_THRESHOLD_RADIANS * 2),
                Float.NEGATIVE_INFINITY},
            new float[] {(float) (X_THRESHOLD * 2), Float.POSITIVE_INFINITY, (float) (THETA_THRESHOLD_RADIANS * 2),
                Float.POSITIVE_INFINITY});
    private static final List<String> LAYOUT = List.of("x", "x_dot", "theta", "theta_dot");

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;

    /** An unseeded env; call {@link #reset(long)} before stepping. */
    public CartPole() {}

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
        return "CartPole-v1";
    }

    @Override
    public Step<float[]> step(Integer action) {
        int a = discreteAction(action, 2, "0 (push left) or 1 (push right)");
        checkCanStep();
        return finishStep(advance(a));
    }

    @Override
    double advance(float action) {
        int a = (int) action;
        double force = a == 1 ? FORCE_MAG : -FORCE_MAG;
        double cosTheta = Math.cos(theta);
        double sinTheta = Math.sin(theta);
        // Florian (2007) eq. 23-24 with zero friction; the operation order is Gymnasium's, so results are bit-equal.
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;
        // Explicit Euler: the positions move with the OLD velocities (Gymnasium's kinematics_integrator="euler").
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        terminates(terminated);
        return 1.0;
    }

    @Override
    void drawInitialState(RandomGenerator rng) {
        x = uniform(rng, -0.05, 0.05);
        xDot = uniform(rng, -0.05, 0.05);
        theta = uniform(rng, -0.05, 0.05);
        thetaDot = uniform(rng, -0.05, 0.05);
    }

    @Override
    void writeObservation(float[] dst, int offset) {
        dst[offset] = (float) x;
        dst[offset + 1] = (float) xDot;
        dst[offset + 2] = (float) theta;
        dst[offset + 3] = (float) thetaDot;
    }

    /** {@code x, x_dot, theta, theta_dot}. */
    @Override
    public List<String> stateLayout() {
        return LAYOUT;
    }

    @Override
    public double[] state() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    @Override
    void assignState(double[] s) {
        x = s[0];
        xDot = s[1];
        theta = s[2];
        thetaDot = s[3];
    }

    /** Gymnasium's picture: a black cart on a track, a brown pole and a blue axle, on a 600x400 screen. */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        double screenWidth = 600;
        double scale = screenWidth / (X_THRESHOLD * 2);
        double poleWidth = 10.0;
        double poleLength = scale * (2 * LENGTH);
        double cartWidth = 50.0;
        double cartHeight = 30.0;
        double axleOffset = cartHeight / 4.0;
        double cartX = x * scale + screenWidth / 2.0;
        double cartY = 100; // top of cart
        try (Canvas c = Canvas.open(width, height, screenWidth, 400)) {
            c.line(Color.BLACK, 1, 0, cartY, screenWidth, cartY);
            c.rotatedRect(Color.BLACK, -cartWidth / 2, cartWidth / 2, -cartHeight / 2, cartHeight / 2, 0, cartX, cartY);
            c.rotatedRect(new Color(202, 152, 101), -poleWidth / 2, poleWidth / 2, -poleWidth / 2,
                    poleLength - poleWidth / 2, -theta, cartX, cartY + axleOffset);
            c.disc(new Color(129, 132, 203), cartX, cartY + axleOffset, poleWidth / 2);
            return c.image();
        }
    }

    @Override
    public int renderFps() {
        return 50;
    }
}
