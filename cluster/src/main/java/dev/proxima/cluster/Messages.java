package dev.proxima.cluster;

import dev.proxima.core.env.RunningMeanStd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages between the learner and its workers, each encoded by {@link Wire}. A run is a conversation:
 *
 * <pre>
 * worker  → learner   HELLO    requested index, the env ids the worker knows, pid and host
 * learner → worker    ASSIGN   slot index and generation, the run's settings, the slot's env copies and their state
 * worker  → learner   READY    (or ERROR: the env is unknown, or differs from the learner's)
 * learner → worker    SAMPLE   update number, θ_old and the normalisers' statistics        (every update)
 * worker  → learner   RESULT   the slice of the rollout, its episodes, the copies' new state (every update)
 * learner → worker    STOP     the run ended, or the worker is refused or replaced
 * </pre>
 *
 * A RESULT is accepted only from the worker holding the slot, for the slot's generation and the update being
 * collected: a late answer from a worker that was timed out and replaced is dropped.
 */
final class Messages {
    static final int HELLO = 1;
    static final int ASSIGN = 2;
    static final int READY = 3;
    static final int SAMPLE = 4;
    static final int RESULT = 5;
    static final int ERROR = 6;
    static final int STOP = 7;

    private Messages() {}

    static Wire.Reader read(byte[] bytes) {
        return new Wire.Reader(bytes);
    }

    // ------------------------------------------------------------------------------------------------ statistics

    static void stats(Wire.Writer w, RunningMeanStd.State s) {
        w.bool(s != null);
        if (s != null) {
            w.doubles(s.mean()).doubles(s.variance()).f64(s.count());
        }
    }

    static RunningMeanStd.State stats(Wire.Reader r) {
        if (!r.bool()) {
            return null;
        }
        double[] mean = r.doubles();
        double[] var = r.doubles();
        double count = r.f64();
        try {
            return new RunningMeanStd.State(mean, var, count);
        } catch (IllegalArgumentException e) {
            throw new Wire.ProtocolException("damaged cluster message: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ hello

    record Hello(int index, long pid, String host, List<String> envIds, int threads) {
        byte[] encode() {
            return new Wire.Writer(HELLO, 256).i32(index).i64(pid).str(host).strs(envIds).i32(threads).bytes();
        }

        static Hello decode(Wire.Reader r) {
            Hello h = new Hello(r.i32(), r.i64(), r.str(), r.strs(), r.i32());
            r.end();
            return h;
        }
    }

    // ------------------------------------------------------------------------------------------------ assign

    /**
     * A slot's env copies {@code [from, to)} and their state (see {@code CollectorState}); {@code update} is the
     * update the run restored or reached, for seeds derived on a restart.
     */
    record Assign(int index, int generation, String envId, Map<String, String> params, int numEnvs, int from, int to,
            int obsDim, int policyDim, int logStdDim, int maskDim, int numParams, int update, long[] actionRngs,
            long[] envSeeds, boolean started, float[] nextObs, double[] episodeReturns, long[] episodeLengths,
            long[][][] envStates, double[] rewardReturns, RunningMeanStd.State obsStats,
            RunningMeanStd.State rewardStats) {
        byte[] encode() {
            Wire.Writer w = new Wire.Writer(ASSIGN, 4096 + nextObs.length * 4);
            w.i32(index).i32(generation).str(envId).i32(params.size());
            params.forEach((k, v) -> w.str(k).str(v));
            w.i32(numEnvs).i32(from).i32(to).i32(obsDim).i32(policyDim).i32(logStdDim).i32(maskDim).i32(numParams)
                    .i32(update).longs(actionRngs).longs(envSeeds).bool(started).floats(nextObs)
                    .doubles(episodeReturns).longs(episodeLengths).longs3(envStates).bool(rewardReturns != null);
            if (rewardReturns != null) {
                w.doubles(rewardReturns);
            }
            stats(w, obsStats);
            stats(w, rewardStats);
            return w.bytes();
        }

        static Assign decode(Wire.Reader r) {
            int index = r.i32();
            int generation = r.i32();
            String envId = r.str();
            int n = r.i32();
            if (n < 0 || n > 10_000) {
                throw new Wire.ProtocolException("damaged cluster message: " + n + " settings");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                params.put(r.str(), r.str());
            }
            Assign a = new Assign(index, generation, envId, params, r.i32(), r.i32(), r.i32(), r.i32(), r.i32(),
                    r.i32(), r.i32(), r.i32(), r.i32(), r.longs(), r.longs(), r.bool(), r.floats(), r.doubles(),
                    r.longs(), r.longs3(), r.bool() ? r.doubles() : null, stats(r), stats(r));
            r.end();
            return a;
        }
    }

    record Ready(int index, int generation) {
        byte[] encode() {
            return new Wire.Writer(READY, 16).i32(index).i32(generation).bytes();
        }

        static Ready decode(Wire.Reader r) {
            Ready m = new Ready(r.i32(), r.i32());
            r.end();
            return m;
        }
    }

    // ------------------------------------------------------------------------------------------------ sample

    /** θ_old (the float64 master parameters) and the statistics to normalise with, for update {@code update}. */
    record Sample(int update, double[] params, RunningMeanStd.State obsStats, RunningMeanStd.State rewardStats) {
        byte[] encode() {
            Wire.Writer w = new Wire.Writer(SAMPLE, 64 + params.length * 8);
            w.i32(update).doubles(params);
            stats(w, obsStats);
            stats(w, rewardStats);
            return w.bytes();
        }

        static Sample decode(Wire.Reader r) {
            Sample s = new Sample(r.i32(), r.doubles(), stats(r), stats(r));
            r.end();
            return s;
        }
    }

    // ------------------------------------------------------------------------------------------------ result

    /**
     * A worker's slice of one rollout, rows {@code t * n + i} for its {@code n} copies, and the copies' state after it.
     * {@code episodeReturns/Lengths} are the episodes that ended, by step then copy (one per row whose terminated or
     * truncated flag is set). {@code obsView}/{@code rewardView} are the worker's statistics after the rollout (the
     * published ones updated with its own batches); {@code obsDelta}/{@code rewardDelta} the moments of its batches
     * alone.
     */
    record Result(int index, int generation, int update, long sampleNanos, float[] obs, float[] actions,
            double[] logProbs, double[] values, double[] rewards, boolean[] terminated, boolean[] truncated,
            double[] finalValues, double[] nextValue, boolean[] masks, double[] endedReturns, int[] endedLengths,
            long[] actionRngs, long[] envSeeds, boolean started, float[] nextObs, double[] copyReturns,
            long[] copyLengths, long[][][] envStates, double[] rewardReturns, RunningMeanStd.State obsView,
            RunningMeanStd.State obsDelta, RunningMeanStd.State rewardView, RunningMeanStd.State rewardDelta) {
        byte[] encode() {
            long size = 256L + obs.length * 4L + actions.length * 4L + logProbs.length * 40L + nextObs.length * 4L
                    + masks.length;
            Wire.Writer w = new Wire.Writer(RESULT, (int) Math.min(size, Integer.MAX_VALUE - 64));
            w.i32(index).i32(generation).i32(update).i64(sampleNanos).floats(obs).floats(actions).doubles(logProbs)
                    .doubles(values).doubles(rewards).bools(terminated, 0, terminated.length)
                    .bools(truncated, 0, truncated.length).doubles(finalValues).doubles(nextValue)
                    .bools(masks, 0, masks.length).doubles(endedReturns).ints(endedLengths).longs(actionRngs)
                    .longs(envSeeds).bool(started).floats(nextObs).doubles(copyReturns).longs(copyLengths)
                    .longs3(envStates).bool(rewardReturns != null);
            if (rewardReturns != null) {
                w.doubles(rewardReturns);
            }
            stats(w, obsView);
            stats(w, obsDelta);
            stats(w, rewardView);
            stats(w, rewardDelta);
            return w.bytes();
        }

        static Result decode(Wire.Reader r) {
            Result m = new Result(r.i32(), r.i32(), r.i32(), r.i64(), r.floats(), r.floats(), r.doubles(),
                    r.doubles(), r.doubles(), r.bools(), r.bools(), r.doubles(), r.doubles(), r.bools(), r.doubles(),
                    r.ints(), r.longs(), r.longs(), r.bool(), r.floats(), r.doubles(), r.longs(), r.longs3(),
                    r.bool() ? r.doubles() : null, stats(r), stats(r), stats(r), stats(r));
            r.end();
            return m;
        }
    }

    // ------------------------------------------------------------------------------------------------ errors, stop

    record Error(int index, int generation, String message) {
        byte[] encode() {
            return new Wire.Writer(ERROR, 64 + message.length() * 3).i32(index).i32(generation).str(message)
                    .bytes();
        }

        static Error decode(Wire.Reader r) {
            Error m = new Error(r.i32(), r.i32(), r.str());
            r.end();
            return m;
        }
    }

    /** Ends a worker: {@code normal} when the run finished, else {@code reason} says why it is refused or replaced. */
    record Stop(boolean normal, String reason) {
        byte[] encode() {
            return new Wire.Writer(STOP, 64 + reason.length() * 3).bool(normal).str(reason).bytes();
        }

        static Stop decode(Wire.Reader r) {
            Stop m = new Stop(r.bool(), r.str());
            r.end();
            return m;
        }
    }
}
