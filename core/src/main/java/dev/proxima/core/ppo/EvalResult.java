package dev.proxima.core.ppo;

import java.util.List;

/**
 * Returns and lengths of evaluation episodes.
 *
 * @param returns undiscounted return of each episode (raw env rewards)
 * @param lengths length of each episode
 */
public record EvalResult(List<Double> returns, List<Integer> lengths) {
    public EvalResult {
        returns = List.copyOf(returns);
        lengths = List.copyOf(lengths);
    }

    public int episodes() {
        return returns.size();
    }

    public double meanReturn() {
        return returns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Population standard deviation of the returns (NumPy's default, as SB3's {@code evaluate_policy}). */
    public double stdReturn() {
        double m = meanReturn();
        return Math.sqrt(returns.stream().mapToDouble(r -> (r - m) * (r - m)).average().orElse(Double.NaN));
    }

    public double meanLength() {
        return lengths.stream().mapToDouble(Integer::doubleValue).average().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "EvalResult{episodes=%d, mean=%.2f, std=%.2f}", episodes(),
                meanReturn(), stdReturn());
    }
}
