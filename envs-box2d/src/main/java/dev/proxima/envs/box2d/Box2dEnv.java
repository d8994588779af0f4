package dev.proxima.envs.box2d;

import com.badlogic.gdx.physics.box2d.Body;
import com.badlogic.gdx.physics.box2d.BodyDef;
import com.badlogic.gdx.physics.box2d.Contact;
import com.badlogic.gdx.physics.box2d.ContactImpulse;
import com.badlogic.gdx.physics.box2d.ContactListener;
import com.badlogic.gdx.physics.box2d.Fixture;
import com.badlogic.gdx.physics.box2d.FixtureDef;
import com.badlogic.gdx.physics.box2d.Manifold;
import com.badlogic.gdx.physics.box2d.PolygonShape;
import com.badlogic.gdx.math.Vector2;
import com.badlogic.gdx.physics.box2d.World;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.run.Rng;
import dev.proxima.envs.render.Renderable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * What the Box2D envs share: the random source, a fresh {@link World} per episode, Gymnasium's reset/step contract
 * and access to the body states.
 *
 * <p><b>Randomness.</b> {@link #reset(long)} asks the env's {@code LongFunction<EnvRandom>} for a source seeded with
 * the seed (by default core's {@link Rng}); {@link #reset()} continues it, or starts from an unpredictable seed if the
 * env was never seeded. The draws follow Gymnasium's order call for call ({@link EnvRandom}).
 *
 * <p><b>Fresh world.</b> Every reset disposes the previous {@link World} and builds a new one, as LunarLander-v3 does.
 * Gymnasium's BipedalWalker reuses its world, which makes an episode depend on the ones before it (Box2D keeps
 * broad-phase proxy ids); a fresh world gives every seed the episode of a fresh {@code gym.make}.
 *
 * <p><b>Contact order.</b> Every fixture goes through {@link #fixture} and every step through {@link #stepWorld()},
 * so that {@link PairOrder} creates the contacts in the order of Gymnasium's Box2D 2.3 rather than libGDX's.
 *
 * <p><b>Not snapshottable.</b> A Box2D world cannot be written back (its contacts, warm-starting impulses, sleep
 * timers and broad-phase tree live in native memory), so these envs do not implement
 * {@link dev.proxima.core.env.Snapshottable}: a resumed training run re-seeds their copies.
 *
 * <p><b>Contract.</b> Stepping before the first reset, after a terminated step, with {@code null}, a wrong length or
 * {@code NaN} is refused with an {@link EnvContractException}. Continuous actions outside the box are accepted as
 * Gymnasium accepts them (LunarLander clips them, BipedalWalker clips the torque and takes the sign for the speed);
 * {@link dev.proxima.core.env.EnvChecks}, which {@code EnvSpec.make} applies, rejects them. The env never truncates:
 * the time limit is the spec's {@link dev.proxima.core.env.TimeLimit}.
 *
 * <p>Not thread-safe; one env per thread, as for every env.
 *
 * @param <A> action type
 */
public abstract sealed class Box2dEnv<A> implements Env<float[], A>, Renderable
        permits LunarLanderEnv, BipedalWalker {
    /** {@code 1.0 / FPS} as Box2D receives it. */
    static final float TIME_STEP = (float) (1.0 / 50);
    /** {@code 6 * 30} velocity and {@code 2 * 30} position iterations, Gymnasium's {@code world.Step} arguments. */
    static final int VELOCITY_ITERATIONS = 180;
    static final int POSITION_ITERATIONS = 60;

    private final LongFunction<EnvRandom> randomFactory;
    EnvRandom random;
    World world;
    /** The contact order of {@link #world}: see {@link PairOrder}. */
    PairOrder pairs;
    private boolean hasState;
    private boolean terminated;

    Box2dEnv(LongFunction<EnvRandom> randomFactory) {
        this.randomFactory = Objects.requireNonNull(randomFactory, "randomFactory");
        Box2dNatives.load();
    }

    /** Production randomness: core's {@link Rng} seeded with the reset seed. */
    static EnvRandom defaultRandom(long seed) {
        return EnvRandom.of(new Rng(seed));
    }

    @Override
    public final Reset<float[]> reset(long seed) {
        random = Objects.requireNonNull(randomFactory.apply(seed), "the env's random factory returned null");
        return start();
    }

    @Override
    public final Reset<float[]> reset() {
        if (random == null) {
            random = Objects.requireNonNull(randomFactory.apply(System.nanoTime() ^ System.identityHashCode(this)),
                    "the env's random factory returned null");
        }
        return start();
    }

    private Reset<float[]> start() {
        disposeWorld();
        hasState = false;
        float[] obs = build();
        hasState = true;
        terminated = false;
        return new Reset<>(obs);
    }

    /**
     * Creates the world and the bodies of a new episode with Gymnasium's draws, runs the internal step that ends
     * Gymnasium's {@code reset} and returns its observation.
     */
    abstract float[] build();

    /** The bodies {@link #bodies()} reports, in Gymnasium's order. */
    abstract Body[] trackedBodies();

    /**
     * The state of the env's own bodies after the last reset or step, in the order of Gymnasium's golden data:
     * {@code [lander, leg0, leg1]} or {@code [hull, upper0, lower0, upper1, lower1]}. For debugging and tests; it
     * allocates.
     */
    public final List<BodyState> bodies() {
        checkHasState();
        List<BodyState> out = new ArrayList<>();
        for (Body b : trackedBodies()) {
            out.add(new BodyState(b.getPosition().x, b.getPosition().y, b.getAngle(), b.getLinearVelocity().x,
                    b.getLinearVelocity().y, b.getAngularVelocity(), b.isAwake()));
        }
        return out;
    }

    /** Throws unless a state exists and the last step did not terminate. */
    final void checkCanStep() {
        if (!hasState) {
            throw new EnvContractException(name() + ": step() called before reset(). Call reset(seed) first.");
        }
        if (terminated) {
            throw new EnvContractException(name() + ": step() called after the episode terminated. Call reset() to"
                    + " start a new episode (a vector env does this automatically).");
        }
    }

    /** Throws unless a state exists (for rendering and body access). */
    final void checkHasState() {
        if (!hasState) {
            throw new IllegalStateException(name() + ": there is no world before reset(). Call reset(seed) first.");
        }
    }

    /** Records the termination flag and packs the result; the raw env never truncates. */
    final Step<float[]> finish(float[] obs, double reward, boolean terminated) {
        this.terminated = terminated;
        return new Step<>(obs, reward, terminated, false);
    }

    /** A continuous action of length {@code n}, checked for {@code null}, length and {@code NaN}. */
    final float[] continuousAction(float[] action, int n) {
        if (action == null || action.length != n) {
            throw new EnvContractException(name() + ": action "
                    + (action == null ? "null" : Arrays.toString(action)) + " must be a float[" + n
                    + "] (the action space is " + actionSpace() + ").");
        }
        for (float a : action) {
            if (Float.isNaN(a)) {
                throw new EnvContractException(name() + ": action " + Arrays.toString(action) + " contains NaN; the"
                        + " action space is " + actionSpace() + ". Check the policy's output for a NaN (e.g. an"
                        + " exploded log-std).");
            }
        }
        return action;
    }

    private void disposeWorld() {
        if (world != null) {
            world.dispose();
            world = null;
            pairs = null;
        }
    }

    /** A new world with gravity {@code (0, gravityY)} (sleeping allowed, as pybox2d's {@code b2World}) and its listener. */
    final void newWorld(float gravityY, ContactListener listener) {
        world = new World(new Vector2(0, gravityY), true);
        world.setContactListener(listener);
        pairs = new PairOrder(world);
    }

    /** Creates a fixture and registers it, in creation order, with {@link PairOrder}. */
    final Fixture fixture(Body body, FixtureDef def) {
        Fixture f = body.createFixture(def);
        pairs.add(f);
        return f;
    }

    /** Gymnasium's {@code world.Step(1.0 / FPS, 6 * 30, 2 * 30)}, with the contacts in Box2D 2.3's order. */
    final void stepWorld() {
        pairs.beforeStep();
        world.step(TIME_STEP, VELOCITY_ITERATIONS, POSITION_ITERATIONS);
    }

    /** Frees the native world. Safe to call more than once; a later reset builds a new one. */
    @Override
    public void close() {
        disposeWorld();
        hasState = false;
    }

    @Override
    public int renderFps() {
        return 50;
    }

    /** pybox2d's {@code CreateDynamicBody(position=(x, y), angle=angle)}: the doubles rounded to float32. */
    final Body dynamicBody(double x, double y, double angle) {
        BodyDef def = new BodyDef();
        def.type = BodyDef.BodyType.DynamicBody;
        def.position.set((float) x, (float) y);
        def.angle = (float) angle;
        return world.createBody(def);
    }

    /**
     * A polygon fixture on {@code body} (pybox2d's {@code fixtureDef(shape=polygonShape(...), ...)}): {@code vertices}
     * {@code x0, y0, x1, y1, ...} go through {@code b2PolygonShape::Set} (which reorders them), or, with two values,
     * are the half-extents of a box ({@code SetAsBox}). Restitution 0, as every fixture of these envs.
     */
    final void polygon(Body body, float[] vertices, float density, float friction, int categoryBits, int maskBits) {
        PolygonShape shape = new PolygonShape();
        try {
            if (vertices.length == 2) {
                shape.setAsBox(vertices[0], vertices[1]);
            } else {
                shape.set(vertices);
            }
            FixtureDef fd = new FixtureDef();
            fd.shape = shape;
            fd.density = density;
            fd.friction = friction;
            fd.restitution = 0f;
            fd.filter.categoryBits = (short) categoryBits;
            fd.filter.maskBits = (short) maskBits;
            fixture(body, fd);
        } finally {
            shape.dispose();
        }
    }

    /** Gymnasium's ContactDetector overrides only BeginContact and EndContact. */
    abstract static class Contacts implements ContactListener {
        @Override
        public void preSolve(Contact contact, Manifold oldManifold) {}

        @Override
        public void postSolve(Contact contact, ContactImpulse impulse) {}
    }

    /** NumPy's {@code clip} of a float64 scalar. */
    static double clip(double x, double low, double high) {
        return Math.min(Math.max(x, low), high);
    }
}
