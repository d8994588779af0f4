package dev.proxima.envs.classic;

import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import dev.proxima.envs.render.Canvas;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The inverted-pendulum swing-up: a torque at the pivot must swing a pendulum up and hold it upright. Gymnasium's
 * {@code Pendulum-v1}, step for step.
 *
 * <h2>Action space</h2>
 * {@code Box(-2.0, 2.0, (1,), float32)}: the torque (N m, positive counter-clockwise). The raw env clips an action
 * outside {@code [-2, 2]} as Gymnasium does; {@code EnvSpec.make} rejects it (see {@link ClassicControlEnv}).
 *
 * <h2>Observation</h2>
 * {@code Box((3,), float32)}:
 * <table>
 * <caption>Pendulum observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Min</th><th>Max</th></tr>
 * <tr><td>0</td><td>x = cos(theta)</td><td>-1.0</td><td>1.0</td></tr>
 * <tr><td>1</td><td>y = sin(theta)</td><td>-1.0</td><td>1.0</td></tr>
 * <tr><td>2</td><td>angular velocity (rad/s)</td><td>-8.0</td><td>8.0</td></tr>
 * </table>
 * theta = 0 is upright. theta itself is never wrapped: the state's angle grows without bound as the pendulum spins.
 *
 * <h2>Reward</h2>
 * {@code -(normalize(theta)^2 + 0.1 * theta_dot^2 + 0.001 * u^2)} on the state <em>before</em> the step, with the
 * clipped torque {@code u} and {@code normalize(theta)} in {@code [-pi, pi)}. It lies in {@code [-16.27, 0]}.
 *
 * <h2>Starting state</h2>
 * theta uniform in {@code [-pi, pi)}, theta_dot uniform in {@code [-1, 1)}.
 *
 * <h2>Episode end</h2>
 * Never <b>terminates</b>. <b>Truncates</b> after 200 steps, by the {@link dev.proxima.core.env.TimeLimit} of
 * {@code Pendulum-v1}'s spec. There is no reward threshold.
 *
 * <h2>Dynamics</h2>
 * {@code gymnasium/envs/classic_control/pendulum.py}: a rod of mass 1 and length 1 under g = 10, semi-implicit Euler
 * with {@code dt = 0.05}: the velocity is updated first and clipped to {@code [-8, 8]}, then the angle moves with the
 * NEW velocity. Gymnasium runs on NumPy 2, where a Python float times a float32 scalar stays float32 (NEP 50), so the
 * torque terms {@code 3u} and {@code 0.001u^2} are computed in float32 here too; a plain float64 port drifts out of a
 * 1e-5 band within 40 to 200 steps on some trajectories.
 */
public final class Pendulum extends ClassicControlEnv<float[]> {
    private static final double MAX_SPEED = 8;
    private static final float MAX_TORQUE = 2.0f;
    private static final double DT = 0.05;
    private static final double G = 10.0;
    private static final double M = 1.0;
    private static final double L = 1.0;

    private static final Box ACTIONS = Box.of(-MAX_TORQUE, MAX_TORQUE, 1);
    private static final Box OBSERVATIONS = Box.of(new float[] {-1f, -1f, (float) -MAX_SPEED},
            new float[] {1f, 1f, (float) MAX_SPEED});
    private static final List<String> LAYOUT = List.of("theta", "theta_dot");

    private double theta;
    private double thetaDot;
    /** The last clipped torque, drawn as an arrow; NaN before the first step. */
    private float lastU = Float.NaN;

    /** An unseeded env; call {@link #reset(long)} before stepping. */
    public Pendulum() {}

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
        return "Pendulum-v1";
    }

    @Override
    public Step<float[]> step(float[] action) {
        float a = continuousAction(action);
        checkCanStep();
        return finishStep(advance(a));
    }

    @Override
    double advance(float a) {
        float u = Math.min(Math.max(a, -MAX_TORQUE), MAX_TORQUE); // np.clip keeps the float32 dtype
        lastU = u;
        double th = theta;
        double thDot = thetaDot;
        // NEP 50: 0.001 * (u**2) with u a float32 scalar is a float32 product.
        double costs = sq(angleNormalize(th)) + 0.1 * (thDot * thDot) + (double) ((float) 0.001 * (u * u));
        // 3g/(2l) sin(th) is float64; 3/(m l^2) * u is float32 (NEP 50 again).
        double newThDot = thDot + (3 * G / (2 * L) * Math.sin(th) + (double) ((float) (3.0 / (M * L * L)) * u)) * DT;
        newThDot = clip(newThDot, -MAX_SPEED, MAX_SPEED);
        theta = th + newThDot * DT; // semi-implicit Euler: the NEW velocity moves the angle
        thetaDot = newThDot;
        terminates(false);
        return -costs;
    }

    /** Gymnasium's {@code angle_normalize}: {@code ((x + pi) mod 2pi) - pi} with Python's floor-mod. */
    static double angleNormalize(double x) {
        double r = (x + Math.PI) % (2 * Math.PI);
        if (r < 0) {
            r += 2 * Math.PI;
        }
        return r - Math.PI;
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    void drawInitialState(RandomGenerator rng) {
        theta = uniform(rng, -Math.PI, Math.PI);
        thetaDot = uniform(rng, -1.0, 1.0);
        lastU = Float.NaN;
    }

    @Override
    void writeObservation(float[] dst, int offset) {
        dst[offset] = (float) Math.cos(theta);
        dst[offset + 1] = (float) Math.sin(theta);
        dst[offset + 2] = (float) thetaDot;
    }

    /** {@code theta, theta_dot}. */
    @Override
    public List<String> stateLayout() {
        return LAYOUT;
    }

    @Override
    public double[] state() {
        return new double[] {theta, thetaDot};
    }

    @Override
    void assignState(double[] s) {
        theta = s[0];
        thetaDot = s[1];
    }

    /**
     * Gymnasium's picture: a red rod turning about a black axle on a 500x500 screen, with an arrow around the axle
     * whose size is the last torque (counter-clockwise for a positive torque).
     */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        double dim = 500;
        double scale = dim / (2.2 * 2);
        double offset = dim / 2;
        double rodLength = 1 * scale;
        double rodWidth = 0.2 * scale;
        Color red = new Color(204, 77, 77);
        double angle = theta + Math.PI / 2;
        try (Canvas c = Canvas.open(width, height, dim, dim)) {
            c.rotatedRect(red, 0, rodLength, -rodWidth / 2, rodWidth / 2, angle, offset, offset);
            c.disc(red, offset, offset, rodWidth / 2);
            c.disc(red, offset + rodLength * Math.cos(angle), offset + rodLength * Math.sin(angle), rodWidth / 2);
            if (!Float.isNaN(lastU) && lastU != 0) {
                drawTorqueArrow(c, offset, scale * Math.abs(lastU) / 4, lastU > 0);
            }
            c.disc(Color.BLACK, offset, offset, 0.05 * scale);
            return c.image();
        }
    }

    /** Three quarters of a circle around the axle with an arrow head, in place of Gymnasium's clockwise.png. */
    private static void drawTorqueArrow(Canvas c, double centre, double radius, boolean counterClockwise) {
        int n = 40;
        double start = Math.PI / 4;
        double sweep = 1.5 * Math.PI * (counterClockwise ? 1 : -1);
        double[] pts = new double[2 * (n + 1)];
        for (int i = 0; i <= n; i++) {
            double t = start + sweep * i / n;
            pts[2 * i] = centre + radius * Math.cos(t);
            pts[2 * i + 1] = centre + radius * Math.sin(t);
        }
        double w = Math.max(2, radius / 8);
        c.polyline(Color.BLACK, w, pts);
        double end = start + sweep;
        double ex = centre + radius * Math.cos(end);
        double ey = centre + radius * Math.sin(end);
        double dir = end + (counterClockwise ? Math.PI / 2 : -Math.PI / 2); // tangent along the sweep
        double head = 3 * w;
        double nx = Math.cos(dir);
        double ny = Math.sin(dir);
        c.polygon(Color.BLACK, ex + head * nx, ey + head * ny, ex - head * ny * 0.8, ey + head * nx * 0.8,
                ex + head * ny * 0.8, ey - head * nx * 0.8);
    }

    @Override
    public int renderWidth() {
        return 500;
    }

    @Override
    public int renderHeight() {
        return 500;
    }

    /** The last torque, drawn as the arrow of a rendered frame. */
    @Override
    long extraState() {
        return Float.floatToRawIntBits(lastU);
    }

    @Override
    void restoreExtraState(long extra) {
        lastU = Float.intBitsToFloat((int) extra);
    }
}
