package dev.proxima.core.nn;

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
        if (policyOut != null) {
            float[][] out = actor.forward(training ? actorTrain : actorInfer, obs, n);
            toFlat(out, n, policyDim(), policyOut);
        }
        if (values != null) {
            float[][] out = critic.forward(training ? criticTrain : criticInfer, obs, n);
            toFlat(out, n, 1, values);
        }
    }

    @Override
    void backprop(float[][] dPolicy, float[][] dValue, int n) {
        if (dPolicy != null) {
            actor.backward(actorTrain, dPolicy, n, grads(), 0, null);
        }
        if (dValue != null) {
            critic.backward(criticTrain, dValue, n, grads(), criticOffset, null);
        }
    }

    @Override
    public void useThreads(dev.proxima.core.internal.ThreadTeam team) {
        actor.useThreads(team);
        critic.useThreads(team);
    }

    @Override
    void load(double[] params) {
        actor.load(params, 0);
        critic.load(params, criticOffset);
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
