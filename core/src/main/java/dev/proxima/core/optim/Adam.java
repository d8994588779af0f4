package dev.proxima.core.optim;

import dev.proxima.core.internal.ThreadTeam;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Adam (Kingma &amp; Ba 2015, arXiv:1412.6980, Algorithm 1) with the semantics of {@code torch.optim.Adam}, preceded
 * by {@code clip_grad_norm_} as in CleanRL's update: one call of {@link #step} is
 * <pre>
 *   total = sqrt(sum g²);  c = min(maxGradNorm / (total + 1e-6), 1);  g = c·g          (global norm clipping)
 *   g += weightDecay·p                                                                  (torch's L2 term, 0 by default)
 *   m = β1·m + (1-β1)·g;   v = β2·v + (1-β2)·g²;   t = t + 1
 *   p = p - (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + eps)
 * </pre>
 * Note where eps sits: torch adds it to the bias-corrected {@code sqrt(v̂)}, unlike the paper's {@code sqrt(v̂)+ε}
 * on uncorrected moments. The defaults are CleanRL's: betas (0.9, 0.999) and {@code eps = 1e-5} (not torch's 1e-8;
 * the "Adam epsilon" item of the PPO implementation details).
 *
 * <p>The learning rate is an argument of each step so the caller can anneal it ({@link LrSchedule}). A NaN or
 * infinite gradient throws {@link NonFiniteException} before anything changes. The state ({@link #m()},
 * {@link #v()}, {@link #t()}) round-trips exactly through {@link #restore} for checkpoints. Gradients are read,
 * never modified. Allocation-free; not thread-safe. With a {@link ThreadTeam} ({@link #useThreads}) the
 * element-wise update of a large vector is split into ranges over the team, and the norm's sum of squares into its
 * {@link GradClip#BLOCKS} fixed blocks, combined in a fixed order; every element sees the same operations, so the
 * bits do not depend on the team.
 */
public final class Adam {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    /** CleanRL's {@code eps=1e-5}. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int numParams;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private long t;
    private double lastGradNorm = Double.NaN;
    private double lastClipCoef = Double.NaN;

    /**
     * Below this many parameters the update is a few microseconds: not worth a hand-off. CleanRL's CartPole agent
     * (9,155) is above it: with actor and critic on separate threads, each updates the half it back-propagated,
     * which stays in its core's cache.
     */
    private static final int MIN_PARALLEL_PARAMS = 4_096;
    /** Parameters per call of the update loop (see {@code updateShare}). */
    private static final int CHUNK = 1_024;
    private ThreadTeam team = ThreadTeam.solo();
    // The current step's arguments, read by the pre-built task (no allocation per step).
    private double[] stepParams;
    private double[] stepGrads;
    private double stepCoef;
    private double stepSize;
    private double stepInvBias2Sqrt;
    private double stepBound;
    private final ThreadTeam.Task updateTask = this::updateShare;
    private final ThreadTeam.Task normTask = this::normShare;
    private final double[] blockSums = new double[GradClip.BLOCKS];
    /** The step's state before the update, for the undo of {@link #step(double[], double[], double, double, double)}. */
    private double[] undoParams;
    private double[] undoM;
    private double[] undoV;
    /** Per team member: the first parameter of its range out of bounds after the update, or MAX_VALUE. */
    private int[] firstOutOfBound = new int[1];

    /** CleanRL's Adam: betas (0.9, 0.999), eps 1e-5, no weight decay. */
    public Adam(int numParams) {
        this(numParams, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0.0);
    }

    /**
     * @param numParams   length of the parameter vector
     * @param beta1       decay of the first moment, in [0, 1)
     * @param beta2       decay of the second moment, in [0, 1)
     * @param eps         added to the denominator, > 0
     * @param weightDecay torch's L2 penalty coefficient, >= 0
     */
    public Adam(int numParams, double beta1, double beta2, double eps, double weightDecay) {
        StringBuilder problems = new StringBuilder();
        if (numParams < 0) {
            problems.append("\n  - numParams = ").append(numParams).append(": must be >= 0.");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            problems.append("\n  - beta1 = ").append(beta1).append(": must be in [0, 1), e.g. 0.9.");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            problems.append("\n  - beta2 = ").append(beta2).append(": must be in [0, 1), e.g. 0.999.");
        }
        if (!(eps > 0 && eps < Double.POSITIVE_INFINITY)) {
            problems.append("\n  - eps = ").append(eps).append(": must be finite and > 0, e.g. 1e-5.");
        }
        if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
            problems.append("\n  - weightDecay = ").append(weightDecay).append(": must be finite and >= 0.");
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException("Adam: invalid settings" + problems);
        }
        this.numParams = numParams;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[numParams];
        this.v = new double[numParams];
        warmUp();
    }

    /** Whether {@link #warmUp} has run (or is running) in this JVM. */
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Runs the step's loops (the update, its range check, the norm's sum of squares) 700 times on 128 entries, once
     * per JVM (about 2 ms), so that they are compiled before the first training step, and compiled as methods. They
     * are called a few times per step with long loops, and HotSpot compiles a method with C1 only after 100 calls and
     * with C2 after 600, unless a loop has run long enough for an on-stack replacement first: the first update of a
     * fresh JVM ran them in the interpreter for about half its steps (a third of its time under JFR), and C2 compiled
     * each twice, on-stack replacement and then as a method (issue 12). 128 entries keep the loops' profiled trip
     * count high enough for C2 to unroll and vectorise them as it does for the real vectors.
     */
    private static void warmUp() {
        if (WARMED.get() || !WARMED.compareAndSet(false, true)) {
            return;
        }
        int n = 128;
        double[] p = new double[n], g = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.01 * (i % 7);
            g[i] = 0.001 * (i % 5);
        }
        double sink = 0;
        for (int call = 0; call < 700; call++) {
            update(p, g, m, v, 0, n, 1.0, 0.0, DEFAULT_BETA1, DEFAULT_BETA2, 1.0 - DEFAULT_BETA1, 1.0 - DEFAULT_BETA2,
                    1e-9, 1.0, DEFAULT_EPS);
            sink += within(p, 0, n, 1.0) ? 1 : 0;
            sink += GradClip.sumOfSquares(g, 0, n);
        }
        if (sink == -1) {
            throw new AssertionError(); // keeps the results live
        }
    }

    /** One step without gradient clipping; returns the gradient's global norm. */
    public double step(double[] params, double[] grads, double lr) {
        return step(params, grads, lr, Double.POSITIVE_INFINITY);
    }

    /**
     * One step: clips {@code grads} (as a copy in flight; the array is not modified) to the global norm
     * {@code maxGradNorm} and updates {@code params} in place.
     *
     * @param lr          learning rate of this step, finite and >= 0
     * @param maxGradNorm clipping threshold, > 0; {@code Double.POSITIVE_INFINITY} disables clipping
     * @return the global gradient norm before clipping (CleanRL does not log it; useful to watch divergence)
     * @throws NonFiniteException if a gradient is NaN or infinite; nothing is modified then
     */
    public double step(double[] params, double[] grads, double lr, double maxGradNorm) {
        return step(params, grads, lr, maxGradNorm, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #step(double[], double[], double, double)}, kept only if every updated parameter is finite and within
     * {@code ±bound}; otherwise the parameters, moments and step count are put back as they were and a
     * {@link NonFiniteException} names the first parameter out of range. The trainer passes float32's range, the
     * network's working precision. Each thread copies (for the undo) and checks its own range of the vectors around
     * its part of the update, while the data is in its core's cache; nothing of the guard runs on one thread alone
     * unless a step is undone.
     *
     * @param bound largest magnitude a parameter may take, > 0; {@code Double.POSITIVE_INFINITY} checks finiteness
     */
    public double step(double[] params, double[] grads, double lr, double maxGradNorm, double bound) {
        if (!(bound > 0)) {
            throw new IllegalArgumentException("Adam.step: bound = " + bound
                    + "; must be > 0, e.g. Float.MAX_VALUE for float32's range.");
        }
        if (params.length != numParams || grads.length != numParams) {
            throw new IllegalArgumentException("Adam.step: params has " + params.length + " and grads "
                    + grads.length + " entries; this optimiser was made for " + numParams + ".");
        }
        if (!(lr >= 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam.step: lr = " + lr + "; the learning rate must be finite and >= 0.");
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("Adam.step: maxGradNorm = " + maxGradNorm
                    + "; must be > 0 (CleanRL uses 0.5), or Double.POSITIVE_INFINITY for no clipping.");
        }
        boolean parallel = numParams >= MIN_PARALLEL_PARAMS;
        stepGrads = grads;
        try {
            team.run(normTask, parallel);
        } finally {
            stepGrads = null;
        }
        double total = GradClip.normOfBlocks(blockSums, grads, numParams);
        if (!(total < Double.POSITIVE_INFINITY)) {
            int i = firstNonFinite(grads);
            throw new NonFiniteException("gradient", i, grads[i], " (of " + numParams + ") at Adam step " + (t + 1)
                    + "; parameters and optimiser state are unchanged (still those after step " + t + "). Likely "
                    + "a NaN observation or reward, or a diverging loss: check the env, lower learningRate or clip.");
        }
        double coef = GradClip.clipCoef(total, maxGradNorm);

        long step = t + 1;
        double bias1 = 1.0 - Math.pow(beta1, step);
        // torch divides sqrt(v) by sqrt(1-β2^t); multiplying by the reciprocal differs by at most an ulp and saves
        // a vector division per element, which with the square root is what bounds this loop.
        double invBias2Sqrt = 1.0 / Math.sqrt(1.0 - Math.pow(beta2, step));
        stepParams = params;
        stepGrads = grads;
        stepCoef = coef;
        stepSize = lr / bias1;
        stepInvBias2Sqrt = invBias2Sqrt;
        stepBound = bound;
        if (undoParams == null) {
            undoParams = new double[numParams];
            undoM = new double[numParams];
            undoV = new double[numParams];
        }
        Arrays.fill(firstOutOfBound, Integer.MAX_VALUE);
        try {
            team.run(updateTask, parallel);
        } finally {
            stepParams = null;
            stepGrads = null;
        }
        int bad = Integer.MAX_VALUE;
        for (int first : firstOutOfBound) {
            bad = Math.min(bad, first);
        }
        if (bad != Integer.MAX_VALUE) {
            double value = params[bad];
            System.arraycopy(undoParams, 0, params, 0, numParams);
            System.arraycopy(undoM, 0, m, 0, numParams);
            System.arraycopy(undoV, 0, v, 0, numParams);
            throw new NonFiniteException("parameter", bad, value, " after Adam step " + step + " (beyond ±" + bound
                    + "); parameters and optimiser state are unchanged (still those after step " + t + ").");
        }
        t = step;
        lastGradNorm = total;
        lastClipCoef = coef;
        return total;
    }

    /**
     * One member's blocks of the gradient's sum of squares ({@link GradClip#BLOCKS}; on a team of two, the same half
     * of the vector that the member then updates, so each reads the gradients its own core wrote).
     */
    private void normShare(int member, int members) {
        GradClip.sumBlocks(stepGrads, numParams, ThreadTeam.start(GradClip.BLOCKS, member, members),
                ThreadTeam.end(GradClip.BLOCKS, member, members), blockSums);
    }

    /** One member's range of the element-wise update. */
    private void updateShare(int member, int members) {
        int from = ThreadTeam.start(numParams, member, members);
        int to = ThreadTeam.end(numParams, member, members);
        double[] params = stepParams;
        double[] grads = stepGrads;
        double coef = stepCoef;
        double stepSize = this.stepSize;
        double invBias2Sqrt = stepInvBias2Sqrt;
        double beta1 = this.beta1;
        double beta2 = this.beta2;
        double eps = this.eps;
        double weightDecay = this.weightDecay;
        double oneMinusBeta1 = 1.0 - beta1;
        double oneMinusBeta2 = 1.0 - beta2;
        double[] m = this.m;
        double[] v = this.v;
        // The undo copies and the range check are passes of their own over this member's range (in its cache by
        // now), so the update loop stays as simple as before and vectorises.
        System.arraycopy(params, from, undoParams, from, to - from);
        System.arraycopy(m, from, undoM, from, to - from);
        System.arraycopy(v, from, undoV, from, to - from);
        double bound = stepBound;
        boolean ok = true;
        // In chunks, each a call: C2 then compiles the loops once, as methods called often, where one long loop per
        // call was compiled on-stack-replacement and then again, which a fresh JVM waited for (issue 12).
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            update(params, grads, m, v, c, end, coef, weightDecay, beta1, beta2, oneMinusBeta1, oneMinusBeta2,
                    stepSize, invBias2Sqrt, eps);
            ok &= within(params, c, end, bound);
        }
        if (!ok) {
            for (int i = from; i < to; i++) {
                if (!(Math.abs(params[i]) <= bound)) {
                    firstOutOfBound[member] = i;
                    break;
                }
            }
        }
    }

    /** The element-wise update of {@code [from, to)}. */
    private static void update(double[] params, double[] grads, double[] m, double[] v, int from, int to,
            double coef, double weightDecay, double beta1, double beta2, double oneMinusBeta1, double oneMinusBeta2,
            double stepSize, double invBias2Sqrt, double eps) {
        for (int i = from; i < to; i++) {
            double g = grads[i] * coef + weightDecay * params[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * g;
            double vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= stepSize * (mi / (Math.sqrt(vi) * invBias2Sqrt + eps));
        }
    }

    /**
     * Whether every |x[i]| over {@code [from, to)} is at most {@code bound} (false for NaN). A branch-free AND: a
     * {@code Math.max} chain over the same range measured four times slower (C2 on JDK 17 compiles the double max
     * with its NaN and signed-zero cases into a blend sequence).
     */
    private static boolean within(double[] x, int from, int to, double bound) {
        boolean ok = true;
        for (int i = from; i < to; i++) {
            ok &= Math.abs(x[i]) <= bound;
        }
        return ok;
    }

    /**
     * Splits the element-wise update of vectors of {@value #MIN_PARALLEL_PARAMS} parameters or more over
     * {@code team} (borrowed: the caller closes it); the solo team, or {@code null}, runs it on the caller.
     */
    public void useThreads(ThreadTeam team) {
        this.team = team == null ? ThreadTeam.solo() : team;
        this.firstOutOfBound = new int[this.team.size()];
    }

    private static int firstNonFinite(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return i;
            }
        }
        throw new AssertionError("no non-finite entry although the norm is not finite");
    }

    /** Global gradient norm before clipping of the last step (NaN before the first). */
    public double lastGradNorm() {
        return lastGradNorm;
    }

    /** The factor the last step multiplied gradients by: {@code min(maxGradNorm/(norm+1e-6), 1)}. */
    public double lastClipCoef() {
        return lastClipCoef;
    }

    /** Steps taken (torch's {@code state['step']}). */
    public long t() {
        return t;
    }

    /** A copy of the first moment ({@code exp_avg}). */
    public double[] m() {
        return m.clone();
    }

    /** A copy of the second moment ({@code exp_avg_sq}). */
    public double[] v() {
        return v.clone();
    }

    public int numParams() {
        return numParams;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Sets the state to what {@link #m()}, {@link #v()} and {@link #t()} returned (e.g. from a checkpoint); the
     * next step continues exactly as the saved optimiser would have.
     */
    public void restore(double[] m, double[] v, long t) {
        if (m.length != numParams || v.length != numParams) {
            throw new IllegalArgumentException("Adam.restore: m has " + m.length + " and v " + v.length
                    + " entries; this optimiser has " + numParams + " parameters. Was the checkpoint made for "
                    + "another network?");
        }
        if (t < 0) {
            throw new IllegalArgumentException("Adam.restore: t = " + t + "; the step count must be >= 0.");
        }
        for (int i = 0; i < numParams; i++) {
            if (!Double.isFinite(m[i])) {
                throw new NonFiniteException("m", i, m[i], " in Adam.restore; the checkpoint is corrupt.");
            }
            if (!(v[i] >= 0 && v[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("Adam.restore: v[" + i + "] = " + v[i]
                        + "; second moments are finite and >= 0. The checkpoint is corrupt.");
            }
        }
        System.arraycopy(m, 0, this.m, 0, numParams);
        System.arraycopy(v, 0, this.v, 0, numParams);
        this.t = t;
    }

    /** An independent optimiser with the same settings and state. */
    public Adam copy() {
        Adam c = new Adam(numParams, beta1, beta2, eps, weightDecay);
        c.restore(m, v, t);
        c.lastGradNorm = lastGradNorm;
        c.lastClipCoef = lastClipCoef;
        return c;
    }

    @Override
    public String toString() {
        return "Adam(betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay + ", t=" + t
                + ", numParams=" + numParams + ")";
    }
}
