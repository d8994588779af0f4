package dev.proxima.envs.box2d;

/**
 * Gymnasium's hand-written BipedalWalker gait ({@code BipedalWalkerHeuristics} in {@code bipedal_walker.py}): a
 * three-phase state machine (stand on one leg, put the other down, push off) with PD control of the hip and knee
 * targets and of the hull angle. It has no notion of balance: over seeds 0-199 it reaches the end of the normal terrain
 * in about one episode in seven and falls in most others; on the hardcore terrain it always fails.
 *
 * <p>Stateful: use one instance per episode. The arithmetic follows NumPy 2 on the float32 observation, including
 * the supporting-knee target that becomes a float32 once it is taken from the observation.
 *
 * <pre>{@code
 * BipedalWalker env = new BipedalWalker();
 * BipedalWalkerHeuristic h = new BipedalWalkerHeuristic();
 * env.reset(0);
 * float[] a = new float[4];                 // Gymnasium's loop starts with a zero action
 * for (Step<float[]> st; ; a = h.act(st.observation())) {
 *     st = env.step(a);
 *     if (st.done()) break;
 * }
 * }</pre>
 */
public final class BipedalWalkerHeuristic {
    private static final int STAY_ON_ONE_LEG = 1;
    private static final int PUT_OTHER_DOWN = 2;
    private static final int PUSH_OFF = 3;
    private static final double SPEED = 0.29; // will fall forward on higher speed
    private static final double SUPPORT_KNEE_ANGLE = +0.1;

    private int state = STAY_ON_ONE_LEG;
    private int movingLeg = 0;
    private int supportingLeg = 1;
    /** Gymnasium's {@code supporting_knee_angle}: a Python float, until it is taken from the observation. */
    private double supportingKneeAngle = SUPPORT_KNEE_ANGLE;
    private boolean kneeAngleIsFloat32;

    /** A controller in Gymnasium's initial state (standing on leg 1, moving leg 0). */
    public BipedalWalkerHeuristic() {}

    /** The next action for observation {@code s} (a BipedalWalker {@code float[24]}); updates the gait state. */
    public float[] act(float[] s) {
        if (s == null || s.length != 24) {
            throw new IllegalArgumentException("BipedalWalkerHeuristic: the observation must be a BipedalWalker"
                    + " float[24], got " + (s == null ? "null" : "float[" + s.length + "]"));
        }
        int movingBase = 4 + 5 * movingLeg;
        int supportingBase = 4 + 5 * supportingLeg;
        double[] hipTarg = {Double.NaN, Double.NaN}; // NaN: None
        double[] kneeTarg = {Double.NaN, Double.NaN};
        float[] hipTodo = {0f, 0f};
        float[] kneeTodo = {0f, 0f};

        if (state == STAY_ON_ONE_LEG) {
            hipTarg[movingLeg] = 1.1;
            kneeTarg[movingLeg] = -0.6;
            addToKneeAngle();
            if (s[2] > (float) SPEED) {
                addToKneeAngle();
            }
            minKneeAngle(supportingKneeAngle, kneeAngleIsFloat32);
            kneeTarg[supportingLeg] = supportingKneeAngle;
            if (s[supportingBase] < 0.10f) { // supporting leg is behind
                state = PUT_OTHER_DOWN;
            }
        }
        if (state == PUT_OTHER_DOWN) {
            hipTarg[movingLeg] = +0.1;
            kneeTarg[movingLeg] = SUPPORT_KNEE_ANGLE;
            kneeTarg[supportingLeg] = supportingKneeAngle;
            if (s[movingBase + 4] != 0) {
                state = PUSH_OFF;
                minKneeAngle(s[movingBase + 2], true);
            }
        }
        if (state == PUSH_OFF) {
            kneeTarg[movingLeg] = supportingKneeAngle;
            kneeTarg[supportingLeg] = +1.0;
            if (s[supportingBase + 2] > 0.88f || s[2] > (float) (1.2 * SPEED)) {
                state = STAY_ON_ONE_LEG;
                movingLeg = 1 - movingLeg;
                supportingLeg = 1 - movingLeg;
            }
        }

        // Python's `if target:` skips None and 0.0 alike.
        if (truthy(hipTarg[0])) {
            hipTodo[0] = 0.9f * ((float) hipTarg[0] - s[4]) - 0.25f * s[5];
        }
        if (truthy(hipTarg[1])) {
            hipTodo[1] = 0.9f * ((float) hipTarg[1] - s[9]) - 0.25f * s[10];
        }
        if (truthy(kneeTarg[0])) {
            kneeTodo[0] = 4.0f * ((float) kneeTarg[0] - s[6]) - 0.25f * s[7];
        }
        if (truthy(kneeTarg[1])) {
            kneeTodo[1] = 4.0f * ((float) kneeTarg[1] - s[11]) - 0.25f * s[12];
        }
        hipTodo[0] -= 0.9f * (0 - s[0]) - 1.5f * s[1]; // PID to keep head straight
        hipTodo[1] -= 0.9f * (0 - s[0]) - 1.5f * s[1];
        kneeTodo[0] -= 15.0f * s[3]; // vertical speed, to damp oscillations
        kneeTodo[1] -= 15.0f * s[3];

        return new float[] {half(hipTodo[0]), half(kneeTodo[0]), half(hipTodo[1]), half(kneeTodo[1])};
    }

    /** {@code supporting_knee_angle += 0.03}: in float64, or in float32 once it holds an observation value. */
    private void addToKneeAngle() {
        supportingKneeAngle = kneeAngleIsFloat32 ? (float) supportingKneeAngle + 0.03f : supportingKneeAngle + 0.03;
    }

    /** Python's {@code min(x, 0.1)}: returns 0.1 (a Python float) only if it is smaller. */
    private void minKneeAngle(double x, boolean xIsFloat32) {
        boolean smaller = xIsFloat32 ? 0.1f < (float) x : SUPPORT_KNEE_ANGLE < x;
        if (smaller) {
            supportingKneeAngle = SUPPORT_KNEE_ANGLE;
            kneeAngleIsFloat32 = false;
        } else {
            supportingKneeAngle = x;
            kneeAngleIsFloat32 = xIsFloat32;
        }
    }

    private static boolean truthy(double target) {
        return !Double.isNaN(target) && target != 0.0;
    }

    /** {@code np.clip(0.5 * a, -1.0, 1.0)} of a float32 value held in a float64 array (exact). */
    private static float half(float x) {
        return (float) Math.min(Math.max(0.5 * x, -1.0), 1.0);
    }
}
