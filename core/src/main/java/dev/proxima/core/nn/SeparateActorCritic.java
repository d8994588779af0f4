package dev.proxima.core.nn;

import dev.proxima.core.internal.ThreadTeam;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Separate actor and critic MLPs, as CleanRL's {@code Agent} in {@code ppo.py} and {@code ppo_continuous_action.py}
 * (64-64 tanh each by default). Parameter layout: actor layers, critic layers, then {@code log_std}.
 */
final class SeparateActorCritic extends DenseActorCritic {

    private static final double HIDDEN_GAIN = Math.sqrt(2.0);
    private static final double POLICY_GAIN = 0.01;
    private static final double VALUE_GAIN = 1.0;

    private final int[] actorHidden;
    private final int[] criticHidden;
    private final Activation activation;
    private final Mlp actor;
    private final Mlp critic;
    private final int criticOffset;
    private final Mlp.Workspace actorInfer;
    private final Mlp.Workspace actorTrain;
    private final Mlp.Workspace criticInfer;
    private final Mlp.Workspace criticTrain;
    /** The team of two that runs actor and critic side by side, or null (see {@link #useThreads}). */
    private ThreadTeam pairTeam;
    // The section's arguments, in fields so that the tasks are built once (no allocation per call).
    private float[][] taskObs;
    private double[] taskPolicy;
    private double[] taskValues;
    private float[][] taskDPolicy;
    private float[][] taskDValue;
    private int taskN;
    private boolean taskTraining;
    /** The parameter or gradient vector of a {@link #runOnVector} section. */
    private double[] taskVector;
    private final ThreadTeam.Task forwardPair = this::forwardShare;
    private final ThreadTeam.Task backwardPair = this::backwardShare;
    private final ThreadTeam.Task loadPair = this::loadShare;
    private final ThreadTeam.Task clearPair = this::clearShare;

    private SeparateActorCritic(Mlp actor, Mlp critic, int logStdDim, int[] actorHidden, int[] criticHidden,
            Activation activation) {
        super(actor.inDim(), actor.outDim(), logStdDim, Math.addExact(actor.numParams(), critic.numParams()));
        this.actor = actor;
        this.critic = critic;
        this.actorHidden = actorHidden;
        this.criticHidden = criticHidden;
        this.activation = activation;
        this.criticOffset = actor.numParams();
        this.actorInfer = actor.newWorkspace();
        this.actorTrain = actor.newWorkspace();
        this.criticInfer = critic.newWorkspace();
        this.criticTrain = critic.newWorkspace();
    }

    private static SeparateActorCritic build(int obsDim, int policyDim, int logStdDim, int[] actorHidden,
            int[] criticHidden, Activation activation) {
        Mlp actor = new Mlp(activation, false, sizes(obsDim, actorHidden, policyDim));
        Mlp critic = new Mlp(activation, false, sizes(obsDim, criticHidden, 1));
        return new SeparateActorCritic(actor, critic, logStdDim, actorHidden.clone(), criticHidden.clone(), activation);
    }

    /** CleanRL's initialisation: actor layers, then critic layers, draw from {@code rng}; {@code log_std} = 0. */
    static SeparateActorCritic create(int obsDim, int policyDim, int logStdDim, int[] actorHidden, int[] criticHidden,
            Activation activation, SplittableRandom rng) {
        SeparateActorCritic net = build(obsDim, policyDim, logStdDim, actorHidden, criticHidden, activation);
        double[] p = net.params();
        net.actor.initOrthogonal(p, 0, HIDDEN_GAIN, POLICY_GAIN, rng);
        net.critic.initOrthogonal(p, net.criticOffset, HIDDEN_GAIN, VALUE_GAIN, rng);
        net.syncParams();
        return net;
    }

    static int[] sizes(int in, int[] hidden, int out) {
        int[] s = new int[hidden.length + 2];
        s[0] = in;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = out;
        return s;
    }

    @Override
    void run(float[][] obs, int n, double[] policyOut, double[] values, boolean training) {
        if (pairTeam != null && policyOut != null && values != null && n >= Mlp.MIN_PARALLEL_ROWS) {
            taskObs = obs;
            taskN = n;
            taskPolicy = policyOut;
            taskValues = values;
            taskTraining = training;
            try {
                pairTeam.run(forwardPair, true);
            } finally {
                taskObs = null;
                taskPolicy = null;
                taskValues = null;
            }
            return;
        }
        if (policyOut != null) {
            forwardActor(obs, n, policyOut, training);
        }
        if (values != null) {
            forwardCritic(obs, n, values, training);
        }
    }

    private void forwardActor(float[][] obs, int n, double[] policyOut, boolean training) {
        float[][] out = actor.forward(training ? actorTrain : actorInfer, obs, n);
        toFlat(out, n, policyDim(), policyOut);
    }

    private void forwardCritic(float[][] obs, int n, double[] values, boolean training) {
        float[][] out = critic.forward(training ? criticTrain : criticInfer, obs, n);
        toFlat(out, n, 1, values);
    }

    @Override
    void backprop(float[][] dPolicy, float[][] dValue, int n) {
        if (pairTeam != null && dPolicy != null && dValue != null && n >= Mlp.MIN_PARALLEL_ROWS) {
            taskDPolicy = dPolicy;
            taskDValue = dValue;
            taskN = n;
            try {
                pairTeam.run(backwardPair, true);
            } finally {
                taskDPolicy = null;
                taskDValue = null;
            }
            return;
        }
        if (dPolicy != null) {
            actor.backward(actorTrain, dPolicy, n, grads(), 0, null);
        }
        if (dValue != null) {
            critic.backward(criticTrain, dValue, n, grads(), criticOffset, null);
        }
    }

    /**
     * A team of two runs the actor on one member and the critic on the other (one hand-off per pass, nothing
     * shared but the far ends of the gradient vector); a larger team splits each network's rows instead
     * ({@link Mlp#useThreads}). Either way every float is computed as on one thread.
     */
    @Override
    public void useThreads(ThreadTeam team) {
        ThreadTeam t = team == null ? ThreadTeam.solo() : team;
        boolean pairs = t.size() == 2;
        pairTeam = pairs ? t : null;
        actor.useThreads(pairs ? ThreadTeam.solo() : t);
        critic.useThreads(pairs ? ThreadTeam.solo() : t);
    }

    private void forwardShare(int part, int parts) {
        if (part == 0) {
            forwardActor(taskObs, taskN, taskPolicy, taskTraining);
        } else {
            forwardCritic(taskObs, taskN, taskValues, taskTraining);
        }
    }

    private void backwardShare(int part, int parts) {
        if (part == 0) {
            actor.backward(actorTrain, taskDPolicy, taskN, grads(), 0, null);
        } else {
            critic.backward(criticTrain, taskDValue, taskN, grads(), criticOffset, null);
        }
    }

    @Override
    void load(double[] params) {
        if (pairTeam != null) {
            // Each member refreshes the weights of the network it runs, so they stay in its core's cache.
            runOnVector(loadPair, params);
            return;
        }
        actor.load(params, 0);
        critic.load(params, criticOffset);
    }

    @Override
    void clearGrads(double[] grads) {
        if (pairTeam == null) {
            super.clearGrads(grads);
            return;
        }
        runOnVector(clearPair, grads);
    }

    /** Runs {@code task} on the pair with {@code vector} as its argument. */
    private void runOnVector(ThreadTeam.Task task, double[] vector) {
        taskVector = vector;
        try {
            pairTeam.run(task, true);
        } finally {
            taskVector = null;
        }
    }

    /** Each member clears the gradient range its network's backward writes (the critic's member also log_std's). */
    private void clearShare(int part, int parts) {
        if (part == 0) {
            Arrays.fill(taskVector, 0, criticOffset, 0.0);
        } else {
            Arrays.fill(taskVector, criticOffset, taskVector.length, 0.0);
        }
    }

    private void loadShare(int part, int parts) {
        if (part == 0) {
            actor.load(taskVector, 0);
        } else {
            critic.load(taskVector, criticOffset);
        }
    }

    @Override
    DenseActorCritic newSameArchitecture() {
        return build(obsDim(), policyDim(), logStdDim(), actorHidden, criticHidden, activation);
    }

    @Override
    String architecture() {
        return "separate(actor=" + Arrays.toString(actor.sizes()) + ", critic=" + Arrays.toString(critic.sizes())
                + ", " + activation + ")";
    }
}
