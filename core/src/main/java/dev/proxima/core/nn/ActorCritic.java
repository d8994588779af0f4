package dev.proxima.core.nn;

/**
 * A policy network and a value network (separate, or sharing a trunk) over one flat parameter vector.
 *
 * <p>The policy output of a row is {@link #policyDim()} numbers: logits for a categorical head, means for a diagonal
 * Gaussian head. A Gaussian head also owns {@link #logStdDim()} state-independent {@code log_std} parameters (CleanRL's
 * {@code actor_logstd}, initialised to 0) stored in {@link #params()} from {@link #logStdOffset()}; the network does not
 * use them itself, the head does, and gradients for them are added to {@link #grads()} by the caller.
 *
 * <p>Parameters are kept as float64 master weights ({@link #params()}, updated by the optimiser) and a float32
 * working copy used by forward and backward ({@link #syncParams()} refreshes it). Inputs and outputs cross the
 * boundary as arrays with {@code n} rows; nothing is allocated per call once the workspace has grown to the largest
 * {@code n} used. Instances are not thread-safe: give each worker its own {@link #copy()}.
 */
public interface ActorCritic {

    int obsDim();

    /** Logits (categorical) or means (Gaussian) per row. */
    int policyDim();

    /** Number of state-independent log-std parameters (Gaussian heads), else 0. */
    int logStdDim();

    /** Index of {@code log_std[0]} in {@link #params()}, or -1 without a Gaussian head. */
    int logStdOffset();

    int numParams();

    /** The float64 master parameters; the optimiser updates them in place, then calls {@link #syncParams()}. */
    double[] params();

    /** Gradient accumulator with the layout of {@link #params()}. */
    double[] grads();

    void zeroGrads();

    /** Copies {@link #params()} into the float32 working weights. */
    void syncParams();

    /**
     * Inference: for {@code n} rows of {@code obs} (row-major, {@code n*obsDim}) writes {@code policyOut}
     * ({@code n*policyDim}) and {@code values} ({@code n}). Either output may be {@code null} to skip that network
     * where they are separate. Keeps no state for {@link #backward}.
     */
    void infer(float[] obs, int n, double[] policyOut, double[] values);

    /** As {@link #infer} but keeps the activations of these {@code n} rows for one {@link #backward}. */
    void forward(float[] obs, int n, double[] policyOut, double[] values);

    /**
     * Back-propagates the loss gradient with respect to the outputs of the last {@link #forward} (rows
     * {@code 0..n-1}) and adds the parameter gradients to {@link #grads()}.
     */
    void backward(double[] dPolicyOut, double[] dValues, int n);

    /**
     * Splits the large batches of {@link #forward}, {@link #backward} and {@link #infer} over {@code team} (the
     * trainer's optimiser threads) with bit-identical results. The team serves one caller at a time, so only the
     * thread that trains this network may call them; {@link #copy()} does not share the team (sampling workers
     * infer on copies). The default ignores the team, which is correct for any network, just not faster.
     */
    default void useThreads(dev.proxima.core.internal.ThreadTeam team) {}

    /** An independent network with the same architecture and parameters (on the calling thread only). */
    ActorCritic copy();

    /** Copies the parameters of a network of the same architecture (e.g. to sync the sampling policy). */
    void copyParamsFrom(ActorCritic other);
}
