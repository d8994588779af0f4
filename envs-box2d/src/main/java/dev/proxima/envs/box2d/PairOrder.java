package dev.proxima.envs.box2d;

import com.badlogic.gdx.physics.box2d.Body;
import com.badlogic.gdx.physics.box2d.BodyDef;
import com.badlogic.gdx.physics.box2d.ContactFilter;
import com.badlogic.gdx.physics.box2d.Filter;
import com.badlogic.gdx.physics.box2d.Fixture;
import com.badlogic.gdx.physics.box2d.FixtureDef;
import com.badlogic.gdx.physics.box2d.PolygonShape;
import com.badlogic.gdx.physics.box2d.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Creates Box2D contacts in the order of the C++ Box2D 2.3 that Gymnasium's pybox2d is built from, on libGDX's natives
 * that create them in another order (issue 11).
 *
 * <p><b>The difference.</b> Box2D's {@code b2BroadPhase::UpdatePairs} (b2BroadPhase.h) collects the pairs of proxies
 * whose fat AABBs overlap, sorts them ({@code std::sort(m_pairBuffer, m_pairBuffer + m_pairCount, b2PairLessThan)}: by
 * lower proxy id, then higher) and hands them to {@code b2ContactManager::AddPair}, which prepends each new contact to
 * the world's and both bodies' contact lists. libGDX replaced that line with {@code qsort(m_pairBuffer,
 * sizeof(m_pairBuffer) / sizeof(struct b2Pair), sizeof(struct b2Pair), b2PairCompareQSort)} ("to get rid of stl
 * dependency", its {@code jni/Box2D/CHANGES}); {@code m_pairBuffer} is a pointer, so that sorts one element and the
 * pairs keep the order of the tree queries. When one pair update creates two contacts or more (a foot reaching two
 * terrain edges, both legs landing), their order differs, and with it the order in which the island solver visits
 * them: BipedalWalker's trajectories then leave Gymnasium's by 1e-2 in the first step. A C++ harness that runs
 * Gymnasium's walker on pybox2d's Box2D sources reproduces the golden files bit for bit; with {@code std::sort}
 * removed (and {@code b2Sweep::Advance} as below) it reproduces libGDX's natives bit for bit.
 *
 * <p><b>The fix, from Java.</b> {@code AddPair} asks the contact filter about each new pair just before it creates the
 * contact, and a pair the filter refuses is proposed again whenever one of its proxies is queried;
 * {@link Fixture#refilter()} queues a proxy for a query in the next pair update, ahead of the proxies that moved. So
 * before each pair update this filter queues rounds of queries of every dynamic fixture (in creation order, which is
 * proxy id order), separated by queries of marker fixtures that only overlap a far-away anchor: the first marker starts
 * an update, the next ends the first round, the last ends the rounds. In the first round the filter refuses everything
 * and notes the new pairs that Box2D's own rules would accept, then sorts them as {@code b2PairLessThan} does (fixture
 * creation index = proxy id order in a fresh world); in the following rounds it accepts each pair only when it is the
 * next one in that order. Proxies that did not move propose no pair Box2D would not (their fat AABBs are unchanged, so
 * every overlap already has its contact), and the contacts and their lists come out as Box2D 2.3 builds them. The
 * first marker of an update also queues the rounds for the next one, so the pair updates inside a step (after the
 * solver and after each time-of-impact event) are ordered too.
 *
 * <p>An update needs one round more than the longest chain of its new pairs that a round proposes out of order: none
 * for almost all updates, five for the first one of a walker episode. {@value #FIRST_ROUNDS} rounds are queued for the
 * first update and {@value #ROUNDS} for the others; in 100 random-action episodes per env, one walker update in 95,000
 * needed 9. Pairs an update could not order are created in libGDX's order and counted by {@link #unordered()} (0 in
 * every golden case).
 *
 * <p><b>What remains.</b> libGDX's natives are Box2D 2.3.1, whose {@code b2Sweep::Advance} (b2Math.h) computes
 * {@code c0 += beta * (c - c0); a0 += beta * (a - a0);} where 2.3.0 computes {@code c0 = (1.0f - beta) * c0 + beta * c;
 * a0 = (1.0f - beta) * a0 + beta * a;}. It runs only inside {@code b2World::SolveTOI}, between two native calls with no
 * callback in between, so it cannot be changed from Java: after a time-of-impact event the positions can differ in the
 * last bit, as a different {@code sinf} would make them.
 *
 * <p><b>Cost.</b> The queries of the rounds and the filter calls (JNI up-calls) that their pairs and Box2D's own pair
 * updates now make; nothing is allocated per step. Box2D's own contact filtering ({@code b2ContactFilter}: groups,
 * then category and mask bits) still decides which pairs collide.
 *
 * <p>Use: {@link #add} every fixture in creation order, {@link #install()} after the last one (before any force is
 * applied: it runs a zero-length step, which clears forces), {@link #beforeStep()} before each {@code World.step}.
 */
final class PairOrder implements ContactFilter {
    /** Rounds of queries per pair update: one to observe, the rest to create the contacts in order. */
    static final int ROUNDS = 8;
    /**
     * Rounds for the first update, where the bodies of a new episode fall into place and reach the ground at once
     * (BipedalWalker's ten contacts need five rounds).
     */
    static final int FIRST_ROUNDS = 12;
    private static final int OFF = 0;
    private static final int OBSERVE = 1;
    private static final int ORDER = 2;
    private static final int NATURAL = 3;
    /** Where the markers live: far from anything the envs simulate or ray-cast. */
    private static final float FAR = -1000f;

    /** A fixture's creation index (its proxy's rank in Box2D's sort) and filter data. */
    private record Tag(int index, int category, int mask, int group, boolean marker) {}

    private final World world;
    private final List<Fixture> dynamic = new ArrayList<>();
    private int count;
    private Fixture anchor;
    private Fixture start;
    private Fixture round;
    private Fixture end;
    private boolean armed;
    private int pending;
    private int phase = OFF;
    /** Rounds to queue next: {@link #FIRST_ROUNDS}, then {@link #ROUNDS}. */
    private int rounds = FIRST_ROUNDS;
    private long[] pairs = new long[64];
    private int pairCount;
    private int next;
    private long unordered;
    private long updates;

    PairOrder(World world) {
        this.world = world;
    }

    /** Registers a fixture of the env, in creation order; the dynamic ones are queried in every round. */
    void add(Fixture fixture) {
        if (armed) {
            throw new IllegalStateException("PairOrder: fixtures must be added before install()");
        }
        Filter f = fixture.getFilterData();
        fixture.setUserData(new Tag(count++, f.categoryBits & 0xFFFF, f.maskBits & 0xFFFF, f.groupIndex, false));
        if (fixture.getBody().getType() == BodyDef.BodyType.DynamicBody) {
            dynamic.add(fixture);
        }
    }

    /**
     * Adds the anchor and the three markers (sensors that collide with nothing, the markers asleep and dynamic so
     * that their pairs with the anchor reach the filter), installs the filter and runs a zero-length step that makes
     * the pair update for the new fixtures, as Box2D does at the start of the first step.
     */
    void install() {
        anchor = marker(BodyDef.BodyType.StaticBody, 0f, 10f);
        start = marker(BodyDef.BodyType.DynamicBody, -5f, 0.5f);
        round = marker(BodyDef.BodyType.DynamicBody, 0f, 0.5f);
        end = marker(BodyDef.BodyType.DynamicBody, 5f, 0.5f);
        world.setContactFilter(this);
        world.step(0f, Box2dEnv.VELOCITY_ITERATIONS, Box2dEnv.POSITION_ITERATIONS);
        armed = true;
    }

    private Fixture marker(BodyDef.BodyType type, float dx, float halfSize) {
        BodyDef bd = new BodyDef();
        bd.type = type;
        bd.position.set(FAR + dx, FAR);
        bd.awake = false;
        bd.gravityScale = 0f;
        Body body = world.createBody(bd);
        PolygonShape box = new PolygonShape();
        try {
            box.setAsBox(halfSize, halfSize);
            FixtureDef fd = new FixtureDef();
            fd.shape = box;
            fd.isSensor = true;
            fd.filter.categoryBits = 0;
            fd.filter.maskBits = 0;
            Fixture f = body.createFixture(fd);
            f.setUserData(new Tag(-1, 0, 0, 0, true));
            return f;
        } finally {
            box.dispose();
        }
    }

    /** Queues the rounds for the next pair update unless they are queued already. */
    void beforeStep() {
        if (pending == 0) {
            queue();
        }
    }

    private void queue() {
        start.refilter();
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                round.refilter();
            }
            for (int i = 0; i < dynamic.size(); i++) {
                dynamic.get(i).refilter();
            }
        }
        end.refilter();
        pending++;
        rounds = ROUNDS;
    }

    /** Pairs created in libGDX's order because an update needed more rounds than were queued. */
    long unordered() {
        return unordered;
    }

    /** Pair updates ordered so far. */
    long updates() {
        return updates;
    }

    @Override
    public boolean shouldCollide(Fixture fixtureA, Fixture fixtureB) {
        Tag a = (Tag) fixtureA.getUserData();
        Tag b = (Tag) fixtureB.getUserData();
        if (a.marker || b.marker) {
            if (armed) {
                marker(fixtureA == anchor ? fixtureB : fixtureA);
            }
            return false;
        }
        // b2ContactFilter::ShouldCollide
        boolean collide = a.group == b.group && a.group != 0 ? a.group > 0
                : (a.mask & b.category) != 0 && (a.category & b.mask) != 0;
        if (!collide || phase == OFF) {
            return collide;
        }
        long key = a.index < b.index ? (long) a.index << 32 | b.index : (long) b.index << 32 | a.index;
        switch (phase) {
            case OBSERVE:
                if (indexOf(key, 0) < 0) {
                    if (pairCount == pairs.length) {
                        pairs = Arrays.copyOf(pairs, 2 * pairs.length);
                    }
                    pairs[pairCount++] = key;
                }
                return false;
            case ORDER:
                if (next < pairCount && pairs[next] == key) {
                    next++;
                    return true;
                }
                return indexOf(key, next) < 0; // not a pair of this update's: Box2D's rules alone
            default: // NATURAL
                if (indexOf(key, next) >= 0) {
                    unordered++;
                }
                return true;
        }
    }

    private void marker(Fixture m) {
        if (m == start) {
            if (pending == 0) {
                return; // not one of our updates
            }
            pending--;
            updates++;
            phase = OBSERVE;
            pairCount = 0;
            next = 0;
            queue();
        } else if (m == round) {
            if (phase == OBSERVE) {
                Arrays.sort(pairs, 0, pairCount);
                next = 0;
                phase = ORDER;
            }
        } else if (m == end && phase != OFF) {
            phase = NATURAL;
        }
    }

    private int indexOf(long key, int from) {
        for (int i = from; i < pairCount; i++) {
            if (pairs[i] == key) {
                return i;
            }
        }
        return -1;
    }
}
