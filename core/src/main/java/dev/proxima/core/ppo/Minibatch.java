package dev.proxima.core.ppo;

/** The rollout rows of one minibatch, as a loss term sees them (indices {@code 0..size()-1}). */
public interface Minibatch {

    int size();

    /** log π_old(a|s), stored when the action was sampled. */
    double oldLogProb(int i);

    /** The advantage, normalised over this minibatch when {@code normAdv} is on (CleanRL detail). */
    double advantage(int i);

    /** The TD(λ) return target {@code A + V_old}. */
    double returns(int i);

    /** V_old(s), stored when the rollout was sampled (for value clipping). */
    double oldValue(int i);
}
