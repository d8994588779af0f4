package dev.proxima.envs.box2d;

/**
 * Gymnasium's hand-written LunarLander controller ({@code lunar_lander.heuristic(env, s)}): a PD controller that points
 * the lander towards the pad, hovers at a height proportional to the horizontal offset and, once a leg touches, only
 * brakes the fall. Over seeds 0-199 Gymnasium's own runs average 245 (discrete) and 285 (continuous).
 *
 * <p>The arithmetic is float32, as NumPy 2 computes it on the float32 observation ({@code python_float * np.float32}
 * is a float32 operation), so thresholds fall on the same side as in Gymnasium.
 *
 * <pre>{@code
 * LunarLander env = new LunarLander();
 * float[] s = env.reset(0).observation();
 * double ret = 0;
 * for (Step<float[]> st; ; s = st.observation()) {
 *     st = env.step(LunarLanderHeuristic.discrete(s));
 *     ret += st.reward();
 *     if (st.done()) break;
 * }
 * }</pre>
 */
public final class LunarLanderHeuristic {
    private LunarLanderHeuristic() {}

    /** The action of {@code LunarLander-v3}: 0 (nothing), 1 (left engine), 2 (main engine) or 3 (right engine). */
    public static int discrete(float[] s) {
        float[] todo = todo(s);
        float angleTodo = todo[0];
        float hoverTodo = todo[1];
        if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05f) {
            return 2;
        } else if (angleTodo < -0.05f) {
            return 3;
        } else if (angleTodo > +0.05f) {
            return 1;
        }
        return 0;
    }

    /** The action of {@code LunarLanderContinuous-v3}: {@code [main, lateral]}, each clipped to [-1, 1]. */
    public static float[] continuous(float[] s) {
        float[] todo = todo(s);
        return new float[] {clip(todo[1] * 20 - 1), clip(-todo[0] * 20)};
    }

    /** {@code [angle_todo, hover_todo]}. */
    private static float[] todo(float[] s) {
        check(s);
        float angleTarg = s[0] * 0.5f + s[2] * 1.0f; // angle should point towards center
        if (angleTarg > 0.4f) {
            angleTarg = 0.4f; // more than 0.4 radians (22 degrees) is bad
        }
        if (angleTarg < -0.4f) {
            angleTarg = -0.4f;
        }
        float hoverTarg = 0.55f * Math.abs(s[0]); // target y should be proportional to horizontal offset
        float angleTodo = (angleTarg - s[4]) * 0.5f - s[5] * 1.0f;
        float hoverTodo = (hoverTarg - s[1]) * 0.5f - s[3] * 0.5f;
        if (s[6] != 0 || s[7] != 0) { // legs have contact: only reduce the fall speed
            angleTodo = 0;
            hoverTodo = -s[3] * 0.5f;
        }
        return new float[] {angleTodo, hoverTodo};
    }

    private static float clip(float x) {
        return Math.min(Math.max(x, -1f), 1f);
    }

    private static void check(float[] s) {
        if (s == null || s.length != 8) {
            throw new IllegalArgumentException("LunarLanderHeuristic: the observation must be a LunarLander float[8], got "
                    + (s == null ? "null" : "float[" + s.length + "]"));
        }
    }
}
