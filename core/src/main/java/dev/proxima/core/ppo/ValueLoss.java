package dev.proxima.core.ppo;

/**
 * The value-function loss {@code L^VF} of Schulman et al. 2017 (arXiv:1707.06347) eq. 9, as in {@code cleanrl/ppo.py}:
 * {@code 0.5·mean((V - R)²)}, or with value clipping ({@code clipVloss}, on by default in CleanRL)
 * {@code 0.5·mean(max((V - R)², (V_clip - R)²))} with {@code V_clip = V_old + clip(V - V_old, -ε, ε)}. CleanRL clips
 * the value with the same ε as the policy ({@code clip_coef}), so ε is the run's {@code clip}
 * ({@link LossContext#clip()}, read at {@link #beginUpdate}). Value clipping is from OpenAI baselines' PPO2; Engstrom
 * et al. 2020 (arXiv:2005.12729) found it does not help and may hurt, so it can be turned off.
 *
 * <p>Reported under {@code losses/value_loss} (with the 0.5, without the coefficient), weighted by {@code vfCoef}.
 *
 * <p>Gradient with respect to {@code V}: {@code (V - R)/B} where the unclipped term is the maximum, otherwise
 * {@code (V_clip - R)/B} where {@code |V - V_old| <= ε} (clamp passes the gradient) and 0 where the value was clipped:
 * torch's subgradients of {@code max} and {@code clamp}. Ties count as "unclipped is the maximum" (the golden
 * vectors' rule). Inside the clip range the two terms are equal, so this is exact; a tie with the value clipped
 * (R exactly halfway between V and V_clip) is where torch would give half, a measure-zero case.
 */
public final class ValueLoss implements LossTerm {

    /** CleanRL's metric key. */
    public static final String KEY = "losses/value_loss";

    private static final String NAME = "ValueLoss";

    private final double coef;
    private final boolean clipped;
    /** ε of the current update (clipped variant), learned in beginUpdate. */
    private double clip = Double.NaN;

    /** CleanRL's defaults: {@code vfCoef = 0.5}, {@code clipVloss = true}. */
    public ValueLoss() {
        this(0.5, true);
    }

    /**
     * @param coef    {@code vfCoef}, the weight of this term, finite and {@code >= 0}
     * @param clipped {@code clipVloss}: clip the value change to the run's {@code clip}
     */
    public ValueLoss(double coef, boolean clipped) {
        this.coef = TermChecks.nonNegative(NAME, "coef (vfCoef)", coef, "CleanRL uses 0.5.");
        this.clipped = clipped;
    }

    @Override
    public LossTerm copy() {
        return new ValueLoss(coef, clipped);
    }

    public double coef() {
        return coef;
    }

    public boolean clipped() {
        return clipped;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public double weight(LossContext ctx) {
        return coef;
    }

    @Override
    public void beginUpdate(LossContext ctx) {
        if (clipped) {
            // +inf (no policy clipping) is accepted: V_clip = V then and the loss is the plain one.
            clip = TermChecks.clip(NAME, ctx.clip(), "the run's configured clip, used for value clipping", true);
        }
    }

    @Override
    public double lossAndGrad(Minibatch mb, HeadOutputs out, HeadGrads grad) {
        int b = TermChecks.rows(NAME, mb);
        double sum = 0.0;
        if (!clipped) {
            for (int i = 0; i < b; i++) {
                double diff = out.value(i) - mb.returns(i);
                sum += diff * diff;
                grad.addValue(i, diff / b);
            }
            return 0.5 * sum / b;
        }
        double eps = clip;
        if (Double.isNaN(eps)) {
            throw new IllegalStateException("ValueLoss(clipped = true) clips with the run's clip, which it learns in"
                    + " beginUpdate(ctx): call beginUpdate before lossAndGrad.");
        }
        for (int i = 0; i < b; i++) {
            double v = out.value(i);
            double vOld = mb.oldValue(i);
            double ret = mb.returns(i);
            double change = v - vOld;
            double vClipped = clippedValue(v, vOld, eps);
            double unclippedDiff = v - ret;
            double clippedDiff = vClipped - ret;
            double lossUnclipped = unclippedDiff * unclippedDiff;
            double lossClipped = clippedDiff * clippedDiff;
            if (lossUnclipped >= lossClipped) {
                sum += lossUnclipped;
                grad.addValue(i, unclippedDiff / b);
            } else {
                sum += lossClipped;
                if (change >= -eps && change <= eps) {
                    grad.addValue(i, clippedDiff / b);
                }
            }
        }
        return 0.5 * sum / b;
    }

    /** {@code V_clip = V_old + clip(V - V_old, -ε, ε)}: the new value moved at most ε from the old one. */
    public static double clippedValue(double value, double oldValue, double clip) {
        return oldValue + Math.min(Math.max(value - oldValue, -clip), clip);
    }

    @Override
    public String toString() {
        return "ValueLoss(coef = " + coef + ", clipped = " + clipped + ")";
    }
}
