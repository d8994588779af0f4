package dev.proxima.core.train;

import dev.proxima.core.ppo.EvalResult;

/**
 * The result of an evaluation during training ({@link Evaluate}).
 *
 * @param update     the update after which the agent was evaluated (1-based)
 * @param globalStep env steps taken by then
 * @param result     the evaluation episodes' returns and lengths
 * @param best       whether its mean return is the best of the run so far
 */
public record Evaluation(int update, long globalStep, EvalResult result, boolean best) {

    /** Mean undiscounted return of the evaluation episodes. */
    public double meanReturn() {
        return result.meanReturn();
    }
}
