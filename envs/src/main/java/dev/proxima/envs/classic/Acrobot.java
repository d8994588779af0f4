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
 * Two links hang from a fixed joint; a torque on the joint between them must swing the free end above a line one
 * link length over the pivot. Gymnasium's {@code Acrobot-v1}, step for step.
 *
 * <h2>Action space</h2>
 * {@code Discrete(3)}: a torque of {@code -1}, {@code 0} or {@code +1} N m on the joint between the links.
 *
 * <h2>Observation</h2>
 * {@code Box((6,), float32)}:
 * <table>
 * <caption>Acrobot observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Min</th><th>Max</th></tr>
 * <tr><td>0</td><td>cos(theta1)</td><td>-1</td><td>1</td></tr>
 * <tr><td>1</td><td>sin(theta1)</td><td>-1</td><td>1</td></tr>
 * <tr><td>2</td><td>cos(theta2)</td><td>-1</td><td>1</td></tr>
 * <tr><td>3</td><td>sin(theta2)</td><td>-1</td><td>1</td></tr>
 * <tr><td>4</td><td>angular velocity of theta1 (rad/s)</td><td>~ -12.567 (-4 pi)</td><td>~ 12.567 (4 pi)</td></tr>
 * <tr><td>5</td><td>angular velocity of theta2 (rad/s)</td><td>~ -28.274 (-9 pi)</td><td>~ 28.274 (9 pi)</td></tr>
 * </table>
 * theta1 is the angle of the first link from straight down; theta2 is relative to the first link.
 *
 * <h2>Reward</h2>
 * {@code -1} for every step that does not reach the goal, {@code 0} for the one that does.
 *
 * <h2>Starting state</h2>
 * theta1, theta2 and both angular velocities uniform in {@code [-0.1, 0.1)}, rounded to float32 as Gymnasium's
 * {@code reset} does; the state is float64 after every step.
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when the free end is above the line: {@code -cos(theta1) - cos(theta2 + theta1) > 1}, evaluated
 * on the new (wrapped) state. <b>Truncates</b> after 500 steps, by the {@link dev.proxima.core.env.TimeLimit} of
 * {@code Acrobot-v1}'s spec. Solved at a return of -100.
 *
 * <h2>Dynamics</h2>
 * Sutton (1996), "Generalization in reinforcement learning: successful examples using sparse coarse coding", with the
 * equations of Sutton &amp; Barto's book (the {@code -m2 l1 lc2 dtheta1^2 sin(theta2)} term that the NeurIPS paper
 * omits), as in {@code gymnasium/envs/classic_control/acrobot.py} (from RLPy): one classic fourth-order Runge-Kutta
 * step of {@code dt = 0.2} on {@code (theta1, theta2, dtheta1, dtheta2, torque)}; only then are the angles wrapped
 * into {@code [-pi, pi]} and the velocities clipped to {@code 4 pi} and {@code 9 pi}. All masses, lengths and moments
 * of inertia are 1, centres of mass at 0.5, g = 9.8. The arithmetic keeps Gymnasium's operation order, including its
 * {@code cos(x - pi/2)} where {@code sin(x)} would be equal in exact arithmetic.
 */
public final class Acrobot extends ClassicControlEnv<Integer> {
    private static final double DT = 0.2;
    private static final double LINK_LENGTH_1 = 1.0;
    private static final double LINK_LENGTH_2 = 1.0;
    private static final double LINK_MASS_1 = 1.0;
    private static final double LINK_MASS_2 = 1.0;
    private static final double LINK_COM_POS_1 = 0.5;
    private static final double LINK_COM_POS_2 = 0.5;
    private static final double LINK_MOI = 1.0;
    private static final double G = 9.8;
    private static final double MAX_VEL_1 = 4 * Math.PI;
    private static final double MAX_VEL_2 = 9 * Math.PI;
    private static final double[] AVAIL_TORQUE = {-1.0, 0.0, +1};

    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = Box.of(
            new float[] {-1f, -1f, -1f, -1f, (float) -MAX_VEL_1, (float) -MAX_VEL_2},
            new float[] {1f, 1f, 1f, 1f, (float) MAX_VEL_1, (float) MAX_VEL_2});
    private static final List<String> LAYOUT = List.of("theta1", "theta2", "dtheta1", "dtheta2");

    /** theta1, theta2, dtheta1, dtheta2. */
    private final double[] s = new double[4];
    // RK4 scratch, kept so that a step allocates nothing but its observation.
    private final double[] y0 = new double[5];
    private final double[] yi = new double[5];
    private final double[] k1 = new double[5];
    private final double[] k2 = new double[5];
    private final double[] k3 = new double[5];
    private final double[] k4 = new double[5];

    /** An unseeded env; call {@link #reset(long)} before stepping. */
    public Acrobot() {}

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
        return "Acrobot-v1";
    }

    @Override
    public Step<float[]> step(Integer action) {
        int a = discreteAction(action, 3, "0 (torque -1), 1 (torque 0) or 2 (torque +1)");
        checkCanStep();
        return finishStep(advance(a));
    }

    @Override
    double advance(float action) {
        int a = (int) action;
        System.arraycopy(s, 0, y0, 0, 4);
        y0[4] = AVAIL_TORQUE[a]; // the state augmented with the torque, whose derivative is 0
        rk4();
        s[0] = wrap(s[0], -Math.PI, Math.PI);
        s[1] = wrap(s[1], -Math.PI, Math.PI);
        s[2] = bound(s[2], -MAX_VEL_1, MAX_VEL_1);
        s[3] = bound(s[3], -MAX_VEL_2, MAX_VEL_2);
        boolean terminated = -Math.cos(s[0]) - Math.cos(s[1] + s[0]) > 1.0;
        terminates(terminated);
        return terminated ? 0.0 : -1.0;
    }

    /** One classic RK4 step of {@code DT} from {@code y0} into {@link #s}, as Gymnasium's {@code rk4} over {@code [0, dt]}. */
    private void rk4() {
        double dt2 = DT / 2.0;
        dsdt(y0, k1);
        for (int i = 0; i < 5; i++) {
            yi[i] = y0[i] + dt2 * k1[i];
        }
        dsdt(yi, k2);
        for (int i = 0; i < 5; i++) {
            yi[i] = y0[i] + dt2 * k2[i];
        }
        dsdt(yi, k3);
        for (int i = 0; i < 5; i++) {
            yi[i] = y0[i] + DT * k3[i];
        }
        dsdt(yi, k4);
        for (int i = 0; i < 4; i++) {
            s[i] = y0[i] + DT / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /** Gymnasium's {@code _dsdt} with {@code book_or_nips = "book"}; writes the derivative of {@code y} into {@code out}. */
    private static void dsdt(double[] y, double[] out) {
        double m1 = LINK_MASS_1;
        double m2 = LINK_MASS_2;
        double l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1;
        double lc2 = LINK_COM_POS_2;
        double i1 = LINK_MOI;
        double i2 = LINK_MOI;
        double a = y[4];
        double theta1 = y[0];
        double theta2 = y[1];
        double dtheta1 = y[2];
        double dtheta2 = y[3];
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(theta2)) + i2;
        double phi2 = m2 * lc2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * G * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2)
                / (m2 * (lc2 * lc2) + i2 - d2 * d2 / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        out[0] = dtheta1;
        out[1] = dtheta2;
        out[2] = ddtheta1;
        out[3] = ddtheta2;
        out[4] = 0.0;
    }

    /** Gymnasium's {@code wrap}: shifts by whole turns until {@code m <= x <= M}. */
    private static double wrap(double x, double m, double bigM) {
        double diff = bigM - m;
        while (x > bigM) {
            x = x - diff;
        }
        while (x < m) {
            x = x + diff;
        }
        return x;
    }

    /** Gymnasium's {@code bound}: {@code min(max(x, m), M)}. */
    private static double bound(double x, double m, double bigM) {
        return Math.min(Math.max(x, m), bigM);
    }

    @Override
    void drawInitialState(RandomGenerator rng) {
        for (int i = 0; i < 4; i++) {
            s[i] = (float) uniform(rng, -0.1, 0.1); // Gymnasium casts the reset state to float32
        }
    }

    @Override
    void writeObservation(float[] dst, int offset) {
        dst[offset] = (float) Math.cos(s[0]);
        dst[offset + 1] = (float) Math.sin(s[0]);
        dst[offset + 2] = (float) Math.cos(s[1]);
        dst[offset + 3] = (float) Math.sin(s[1]);
        dst[offset + 4] = (float) s[2];
        dst[offset + 5] = (float) s[3];
    }

    /** {@code theta1, theta2, dtheta1, dtheta2}. */
    @Override
    public List<String> stateLayout() {
        return LAYOUT;
    }

    @Override
    public double[] state() {
        return s.clone();
    }

    @Override
    void assignState(double[] state) {
        System.arraycopy(state, 0, s, 0, 4);
    }

    /**
     * Gymnasium's picture: two cyan links with yellow joints on a 500x500 screen, and the black line the free end
     * must cross.
     */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        double dim = 500;
        double bound = LINK_LENGTH_1 + LINK_LENGTH_2 + 0.2;
        double scale = dim / (bound * 2);
        double offset = dim / 2;
        // Gymnasium swaps the coordinates ([:, ::-1]): x right, y up, links hanging down at theta = 0.
        double p1x = LINK_LENGTH_1 * Math.sin(s[0]) * scale;
        double p1y = -LINK_LENGTH_1 * Math.cos(s[0]) * scale;
        double[] xs = {0, p1x};
        double[] ys = {0, p1y};
        double[] thetas = {s[0] - Math.PI / 2, s[0] + s[1] - Math.PI / 2};
        double[] lengths = {LINK_LENGTH_1 * scale, LINK_LENGTH_2 * scale};
        Color cyan = new Color(0, 204, 204);
        Color yellow = new Color(204, 204, 0);
        try (Canvas c = Canvas.open(width, height, dim, dim)) {
            c.line(Color.BLACK, 1.5, -2.2 * scale + offset, 1 * scale + offset, 2.2 * scale + offset,
                    1 * scale + offset);
            for (int i = 0; i < 2; i++) {
                double x = xs[i] + offset;
                double y = ys[i] + offset;
                c.rotatedRect(cyan, 0, lengths[i], -0.1 * scale, 0.1 * scale, thetas[i], x, y);
                c.disc(yellow, x, y, 0.1 * scale);
            }
            return c.image();
        }
    }

    @Override
    public int renderWidth() {
        return 500;
    }

    @Override
    public int renderHeight() {
        return 500;
    }

    @Override
    public int renderFps() {
        return 15;
    }
}
