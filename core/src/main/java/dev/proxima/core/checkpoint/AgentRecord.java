package dev.proxima.core.checkpoint;

import dev.proxima.core.nn.Network;
import java.util.Map;
import java.util.Objects;

/**
 * A policy as saved: what {@code Agent.save} writes and {@code Agent.load} reads, and the policy part of every
 * training checkpoint.
 *
 * @param envId       the env's id, looked up again when the agent is loaded
 * @param network     the architecture when it is a built-in {@link Network}, else {@code null}
 * @param networkName the factory's {@code toString()}: the architecture's text, or a custom factory's description
 * @param head        the action distribution ({@code categorical} or {@code gaussian})
 * @param obsDim      floats per flattened observation
 * @param policyDim   policy outputs per row (logits or means)
 * @param logStdDim   state-independent log-std parameters (Gaussian), else 0
 * @param clipAction  whether sampled actions are clipped into the action box before the env sees them
 * @param params      the float64 master parameters in {@code ActorCritic}'s layout
 * @param obsNorm     the observation normaliser's state, or {@code null}
 * @param extra       further string metadata (e.g. an observation layout), saved and read back as is
 */
public record AgentRecord(String envId, Network network, String networkName, String head, int obsDim, int policyDim,
        int logStdDim, boolean clipAction, double[] params, NormalizerRecord obsNorm, Map<String, String> extra) {
    public AgentRecord {
        Objects.requireNonNull(envId, "envId");
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(params, "params");
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
