package dev.proxima.envs.box2d;

import com.badlogic.gdx.math.Vector2;
import com.badlogic.gdx.physics.box2d.Body;
import com.badlogic.gdx.physics.box2d.BodyDef;
import com.badlogic.gdx.physics.box2d.Contact;
import com.badlogic.gdx.physics.box2d.ContactListener;
import com.badlogic.gdx.physics.box2d.EdgeShape;
import com.badlogic.gdx.physics.box2d.Fixture;
import com.badlogic.gdx.physics.box2d.FixtureDef;
import com.badlogic.gdx.physics.box2d.PolygonShape;
import com.badlogic.gdx.physics.box2d.RayCastCallback;
import com.badlogic.gdx.physics.box2d.World;
import com.badlogic.gdx.physics.box2d.joints.RevoluteJoint;
import com.badlogic.gdx.physics.box2d.joints.RevoluteJointDef;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import dev.proxima.envs.render.Canvas;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Gymnasium's {@code BipedalWalker-v3} and, with {@code hardcore}, {@code BipedalWalkerHardcore-v3}
 * ({@code gymnasium/envs/box2d/bipedal_walker.py}): a 4-joint walker must cross a 200-step terrain; the hardcore
 * terrain adds stumps, stairs and pits.
 *
 * <h2>Action space</h2>
 * {@code Box(-1, 1, (4,), float32)}: motor commands for hip 0, knee 0, hip 1, knee 1. Each joint's motor runs at
 * {@code sign(a)} times its top speed (4 rad/s hips, 6 knees) with torque {@code 80 * clip(|a|, 0, 1)}; values outside
 * the box are accepted, as in Gymnasium.
 *
 * <h2>Observation</h2>
 * {@code Box((24,), float32)}: hull angle, {@code 2·ω/FPS}, {@code 0.3·vx·(W)/FPS}, {@code 0.3·vy·(H)/FPS}; for each
 * leg: hip angle, hip speed / 4, knee angle + 1, knee speed / 6, lower-leg ground contact; then ten lidar fractions
 * (1 when nothing is hit within 160/30 m), rays at angles {@code 1.5·i/10} from straight down, cast from the hull
 * after the step. There are no coordinates.
 *
 * <h2>Reward</h2>
 * {@code shaping = 130·x/SCALE - 5·|hull angle|}; each step earns the change of shaping minus {@code 0.028·|a_k|} per
 * joint (clipped to 1). With float32 actions Gymnasium (NumPy 2) computes this in float32, and so does this class.
 * {@code -100} if the hull touches the ground or {@code x < 0}. About 300 for crossing the terrain; solved at 300.
 *
 * <h2>Starting state</h2>
 * The terrain (grass with a random slope after the start pad; hardcore: obstacles), ten clouds (they only decorate,
 * but draw 110 numbers), then the walker standing at the left with a random push {@code uniform(-5, 5)} on the hull.
 * Reset ends with Gymnasium's internal step with all motors off.
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when the hull touches the ground, {@code x < 0}, or the walker passes the end of the terrain
 * ({@code x > 190·14/30}). <b>Truncates</b> after 1600 steps (hardcore: 2000), by the spec's
 * {@link dev.proxima.core.env.TimeLimit}.
 *
 * <h2>Exactness</h2>
 * The physics is the C++ Box2D 2.3 under Gymnasium's pybox2d, through libGDX's JNI binding, with pybox2d's float32
 * rounding and automatic joint reference angles, a fresh world every reset and the contacts created in Box2D's order
 * ({@link PairOrder}). Trajectories match Gymnasium's recorded ones to 1e-4 for their {@code stable_steps} (20 of the
 * 22 golden cases; two hardcore ones part earlier, after a time-of-impact event, where libGDX's Box2D 2.3.1 rounds
 * {@code b2Sweep::Advance} differently); returns and episode lengths match in distribution.
 */
public final class BipedalWalker extends Box2dEnv<float[]> {
    static final double FPS = 50;
    static final double SCALE = 30.0;
    static final int MOTORS_TORQUE = 80;
    static final int SPEED_HIP = 4;
    static final int SPEED_KNEE = 6;
    static final double LIDAR_RANGE = 160 / SCALE;
    static final int INITIAL_RANDOM = 5;
    static final int[][] HULL_POLY = {{-30, 9}, {6, 9}, {34, 1}, {34, -8}, {-30, -8}};
    static final double LEG_DOWN = -8 / SCALE;
    static final double LEG_W = 8 / SCALE;
    static final double LEG_H = 34 / SCALE;
    static final int VIEWPORT_W = 600;
    static final int VIEWPORT_H = 400;
    static final double TERRAIN_STEP = 14 / SCALE;
    static final int TERRAIN_LENGTH = 200;
    static final double TERRAIN_HEIGHT = VIEWPORT_H / SCALE / 4;
    static final int TERRAIN_GRASS = 10;
    static final int TERRAIN_STARTPAD = 20;
    static final double FRICTION = 2.5;
    private static final int GRASS = 0;
    private static final int STUMP = 1;
    private static final int STAIRS = 2;
    private static final int PIT = 3;
    private static final int STATES = 4;
    /** {@code 0.00035 * MOTORS_TORQUE} as NumPy 2 rounds it when it multiplies a float32 action. */
    private static final double TORQUE_COST = 0.00035 * MOTORS_TORQUE;
    private static final float TORQUE_COST_F32 = (float) TORQUE_COST;

    private static final Box ACTIONS = Box.of(-1f, 1f, 4);
    private static final Box OBSERVATIONS;

    static {
        float pi = (float) Math.PI;
        float[] low = {-pi, -5, -5, -5, -pi, -5, -pi, -5, -0f, -pi, -5, -pi, -5, -0f,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        float[] high = {pi, 5, 5, 5, pi, 5, pi, 5, 5, pi, 5, pi, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        OBSERVATIONS = Box.of(low, high);
    }

    private final boolean hardcore;

    private Body hull;
    /** {@code [upper0, lower0, upper1, lower1]}, Gymnasium's {@code legs}. */
    private final Body[] legs = new Body[4];
    /** {@code [hip0, knee0, hip1, knee1]}, Gymnasium's {@code joints}. */
    private final RevoluteJoint[] joints = new RevoluteJoint[4];
    private final boolean[] groundContact = new boolean[4];
    private boolean gameOver;
    private double prevShaping;
    private boolean hasPrevShaping;
    private final double[] terrainX = new double[TERRAIN_LENGTH];
    private final double[] terrainY = new double[TERRAIN_LENGTH];
    /** Hardcore obstacles as Gymnasium builds them (doubles, in its vertex order), for rendering and tests. */
    private final List<double[]> obstacles = new ArrayList<>();
    private final List<Body> obstacleBodies = new ArrayList<>();
    /** Ten cloud polygons of five points, {@code x0, y0, ..., x4, y4} (rendering only). */
    private final double[][] clouds = new double[TERRAIN_LENGTH / 20][10];
    private final Lidar lidar = new Lidar();
    private final float[] lidarFraction = new float[10];
    /** Lidar end points of the last step, for rendering: {@code x1, y1, x2, y2} per ray. */
    private final float[] lidarRays = new float[40];
    private int lidarRender;
    private final ContactListener contacts = new WalkerContacts();

    /** {@code BipedalWalker-v3} with Gymnasium's defaults. Call {@link #reset(long)} before stepping. */
    public BipedalWalker() {
        this(false, Box2dEnv::defaultRandom);
    }

    /** {@code BipedalWalker-v3}, or {@code BipedalWalkerHardcore-v3} when {@code hardcore}. */
    public BipedalWalker(boolean hardcore) {
        this(hardcore, Box2dEnv::defaultRandom);
    }

    BipedalWalker(boolean hardcore, LongFunction<EnvRandom> random) {
        super(random);
        this.hardcore = hardcore;
    }

    /** Whether this is the hardcore terrain. */
    public boolean hardcore() {
        return hardcore;
    }

    @Override
    public Space<float[]> observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Space<float[]> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return hardcore ? "BipedalWalkerHardcore-v3" : "BipedalWalker-v3";
    }

    @Override
    float[] build() {
        newWorld(-10f, contacts);
        gameOver = false;
        hasPrevShaping = false;
        lidarRender = 0;
        java.util.Arrays.fill(groundContact, false);

        generateTerrain();
        generateClouds();

        double initX = TERRAIN_STEP * TERRAIN_STARTPAD / 2;
        double initY = TERRAIN_HEIGHT + 2 * LEG_H;
        hull = dynamicBody(initX, initY, 0.0);
        float[] poly = new float[HULL_POLY.length * 2];
        for (int i = 0; i < HULL_POLY.length; i++) {
            poly[2 * i] = (float) (HULL_POLY[i][0] / SCALE);
            poly[2 * i + 1] = (float) (HULL_POLY[i][1] / SCALE);
        }
        polygon(hull, poly, 5.0f, 0.1f, 0x0020, 0x001);
        float force = (float) random.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);

        for (int k = 0; k < 2; k++) {
            int i = k == 0 ? -1 : +1;
            Body leg = dynamicBody(initX, initY - LEG_H / 2 - LEG_DOWN, i * 0.05);
            limb(leg, LEG_W / 2);
            joints[2 * k] = revolute(hull, leg, 0, LEG_DOWN, 0, LEG_H / 2, i, -0.8, 1.1);
            legs[2 * k] = leg;

            Body lower = dynamicBody(initX, initY - LEG_H * 3 / 2 - LEG_DOWN, i * 0.05);
            limb(lower, 0.8 * LEG_W / 2);
            joints[2 * k + 1] = revolute(leg, lower, 0, -LEG_H / 2, 0, LEG_H / 2, 1, -1.6, -0.1);
            legs[2 * k + 1] = lower;
        }
        pairs.install();
        // Gymnasium applies it right after creating the hull; it only acts in the next step, and install()'s
        // zero-length step would clear it.
        hull.applyForceToCenter(force, 0f, true);
        return advance(0, 0, 0, 0, false).observation();
    }

    /** Gymnasium's LEG_FD / LOWER_FD: a box of half-width {@code halfWidth} and half-height LEG_H/2. */
    private void limb(Body body, double halfWidth) {
        polygon(body, new float[] {(float) halfWidth, (float) (LEG_H / 2)}, 1.0f, 0.2f, 0x0020, 0x001);
    }

    private RevoluteJoint revolute(Body a, Body b, double ax, double ay, double bx, double by, double motorSpeed,
            double lower, double upper) {
        RevoluteJointDef rjd = new RevoluteJointDef();
        rjd.bodyA = a;
        rjd.bodyB = b;
        rjd.localAnchorA.set((float) ax, (float) ay);
        rjd.localAnchorB.set((float) bx, (float) by);
        // pybox2d's revoluteJointDef sets referenceAngle = bodyB.angle - bodyA.angle (C++ leaves it 0).
        rjd.referenceAngle = b.getAngle() - a.getAngle();
        rjd.enableMotor = true;
        rjd.enableLimit = true;
        rjd.maxMotorTorque = MOTORS_TORQUE;
        rjd.motorSpeed = (float) motorSpeed;
        rjd.lowerAngle = (float) lower;
        rjd.upperAngle = (float) upper;
        return (RevoluteJoint) world.createJoint(rjd);
    }

    private void generateTerrain() {
        int state = GRASS;
        double velocity = 0.0;
        double y = TERRAIN_HEIGHT;
        long counter = TERRAIN_STARTPAD;
        boolean oneshot = false;
        obstacles.clear();
        obstacleBodies.clear();
        long stairSteps = 0;
        long stairWidth = 0;
        long stairHeight = 0;
        double originalY = 0;
        for (int i = 0; i < TERRAIN_LENGTH; i++) {
            double x = i * TERRAIN_STEP;
            terrainX[i] = x;
            if (state == GRASS && !oneshot) {
                velocity = 0.8 * velocity + 0.01 * Math.signum(TERRAIN_HEIGHT - y);
                if (i > TERRAIN_STARTPAD) {
                    velocity += random.uniform(-1, 1) / SCALE;
                }
                y += velocity;
            } else if (state == PIT && oneshot) {
                counter = random.integers(3, 5);
                double[] poly = {x, y, x + TERRAIN_STEP, y, x + TERRAIN_STEP, y - 4 * TERRAIN_STEP,
                    x, y - 4 * TERRAIN_STEP};
                obstacle(poly);
                double[] shifted = poly.clone();
                for (int p = 0; p < shifted.length; p += 2) {
                    shifted[p] = poly[p] + TERRAIN_STEP * counter;
                }
                obstacle(shifted);
                counter += 2;
                originalY = y;
            } else if (state == PIT) {
                y = originalY;
                if (counter > 1) {
                    y -= 4 * TERRAIN_STEP;
                }
            } else if (state == STUMP && oneshot) {
                counter = random.integers(1, 3);
                obstacle(new double[] {x, y, x + counter * TERRAIN_STEP, y, x + counter * TERRAIN_STEP,
                    y + counter * TERRAIN_STEP, x, y + counter * TERRAIN_STEP});
            } else if (state == STAIRS && oneshot) {
                stairHeight = random.random() > 0.5 ? +1 : -1;
                stairWidth = random.integers(4, 5);
                stairSteps = random.integers(3, 5);
                originalY = y;
                for (long s = 0; s < stairSteps; s++) {
                    obstacle(new double[] {
                        x + (s * stairWidth) * TERRAIN_STEP, y + (s * stairHeight) * TERRAIN_STEP,
                        x + ((1 + s) * stairWidth) * TERRAIN_STEP, y + (s * stairHeight) * TERRAIN_STEP,
                        x + ((1 + s) * stairWidth) * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP,
                        x + (s * stairWidth) * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP});
                }
                counter = stairSteps * stairWidth;
            } else if (state == STAIRS) {
                long s = stairSteps * stairWidth - counter - stairHeight;
                double n = (double) s / stairWidth;
                y = originalY + (n * stairHeight) * TERRAIN_STEP;
            }
            oneshot = false;
            terrainY[i] = y;
            counter -= 1;
            if (counter == 0) {
                counter = random.integers(TERRAIN_GRASS / 2, TERRAIN_GRASS);
                if (state == GRASS && hardcore) {
                    state = (int) random.integers(1, STATES);
                } else {
                    state = GRASS;
                }
                oneshot = true;
            }
        }
        EdgeShape edge = new EdgeShape();
        try {
            FixtureDef fd = new FixtureDef();
            fd.shape = edge;
            fd.friction = (float) FRICTION;
            fd.filter.categoryBits = 0x0001;
            for (int i = 0; i < TERRAIN_LENGTH - 1; i++) {
                edge.set((float) terrainX[i], (float) terrainY[i], (float) terrainX[i + 1], (float) terrainY[i + 1]);
                fixture(world.createBody(new BodyDef()), fd);
            }
        } finally {
            edge.dispose();
        }
    }

    /** A static obstacle body (Gymnasium's {@code fd_polygon}: friction 2.5, category 1). */
    private void obstacle(double[] poly) {
        obstacles.add(poly);
        float[] v = new float[poly.length];
        for (int i = 0; i < poly.length; i++) {
            v[i] = (float) poly[i];
        }
        Body body = world.createBody(new BodyDef());
        polygon(body, v, 0f, (float) FRICTION, 0x0001, 0xFFFF);
        obstacleBodies.add(body);
    }

    private void generateClouds() {
        for (double[] cloud : clouds) {
            double x = random.uniform(0, TERRAIN_LENGTH) * TERRAIN_STEP;
            double y = VIEWPORT_H / SCALE * 3 / 4;
            for (int a = 0; a < 5; a++) {
                cloud[2 * a] = x + 15 * TERRAIN_STEP * Math.sin(3.14 * 2 * a / 5) + random.uniform(0, 5 * TERRAIN_STEP);
                cloud[2 * a + 1] = y + 5 * TERRAIN_STEP * Math.cos(3.14 * 2 * a / 5)
                        + random.uniform(0, 5 * TERRAIN_STEP);
            }
        }
    }

    @Override
    public Step<float[]> step(float[] action) {
        continuousAction(action, 4);
        checkCanStep();
        return advance(action[0], action[1], action[2], action[3], true);
    }

    /**
     * Sets the motors, steps the world, casts the lidar and computes observation and reward. {@code float32Action}
     * selects NumPy 2's float32 reward arithmetic (a float32 action array); the internal reset step passes an int64
     * array of zeros, whose reward is float64 (and 0).
     */
    private Step<float[]> advance(float a0, float a1, float a2, float a3, boolean float32Action) {
        motor(0, SPEED_HIP, a0);
        motor(1, SPEED_KNEE, a1);
        motor(2, SPEED_HIP, a2);
        motor(3, SPEED_KNEE, a3);

        stepWorld();

        Vector2 pos = hull.getPosition();
        double posX = pos.x;
        double posY = pos.y;
        for (int i = 0; i < 10; i++) {
            lidar.fraction = 1.0f;
            double x2 = posX + Math.sin(1.5 * i / 10.0) * LIDAR_RANGE;
            double y2 = posY - Math.cos(1.5 * i / 10.0) * LIDAR_RANGE;
            lidarRays[4 * i] = (float) posX;
            lidarRays[4 * i + 1] = (float) posY;
            lidarRays[4 * i + 2] = (float) x2;
            lidarRays[4 * i + 3] = (float) y2;
            lidar.ray = i;
            world.rayCast(lidar, (float) posX, (float) posY, (float) x2, (float) y2);
            lidarFraction[i] = lidar.fraction;
        }

        Vector2 vel = hull.getLinearVelocity();
        double velX = vel.x;
        double velY = vel.y;
        double angle = hull.getAngle();
        float[] obs = new float[24];
        obs[0] = (float) angle;
        obs[1] = (float) (2.0 * hull.getAngularVelocity() / FPS);
        obs[2] = (float) (0.3 * velX * (VIEWPORT_W / SCALE) / FPS);
        obs[3] = (float) (0.3 * velY * (VIEWPORT_H / SCALE) / FPS);
        for (int k = 0; k < 2; k++) {
            RevoluteJoint hip = joints[2 * k];
            RevoluteJoint knee = joints[2 * k + 1];
            obs[4 + 5 * k] = hip.getJointAngle();
            obs[5 + 5 * k] = (float) ((double) hip.getJointSpeed() / SPEED_HIP);
            obs[6 + 5 * k] = (float) (knee.getJointAngle() + 1.0);
            obs[7 + 5 * k] = (float) ((double) knee.getJointSpeed() / SPEED_KNEE);
            obs[8 + 5 * k] = groundContact[2 * k + 1] ? 1f : 0f;
        }
        System.arraycopy(lidarFraction, 0, obs, 14, 10);

        double shaping = shaping(posX, angle);
        double reward = hasPrevShaping ? reward(shaping - prevShaping, a0, a1, a2, a3, float32Action) : 0.0;
        prevShaping = shaping;
        hasPrevShaping = true;

        boolean terminated = false;
        if (gameOver || posX < 0) {
            reward = -100;
            terminated = true;
        }
        if (posX > (TERRAIN_LENGTH - TERRAIN_GRASS) * TERRAIN_STEP) {
            terminated = true;
        }
        return finish(obs, reward, terminated);
    }

    /** {@code 130·x/SCALE - 5·|angle|}, in float64 from the float32 hull state. */
    static double shaping(double posX, double angle) {
        double shaping = 130 * posX / SCALE;
        shaping -= 5.0 * Math.abs(angle);
        return shaping;
    }

    /**
     * The step reward before the crash override: the shaping change minus {@code 0.028·clip(|a_k|, 0, 1)} per joint.
     * With a float32 action NumPy 2 (NEP 50) computes this in float32 ({@code python_float - np.float32} and
     * {@code 0.028 * np.float32} are float32 operations); with a float64 action, in float64.
     */
    static double reward(double shapingDelta, float a0, float a1, float a2, float a3, boolean float32Action) {
        if (!float32Action) {
            return shapingDelta - TORQUE_COST * clip(Math.abs(a0), 0, 1) - TORQUE_COST * clip(Math.abs(a1), 0, 1)
                    - TORQUE_COST * clip(Math.abs(a2), 0, 1) - TORQUE_COST * clip(Math.abs(a3), 0, 1);
        }
        float r = (float) shapingDelta;
        r -= TORQUE_COST_F32 * Math.min(Math.abs(a0), 1f);
        r -= TORQUE_COST_F32 * Math.min(Math.abs(a1), 1f);
        r -= TORQUE_COST_F32 * Math.min(Math.abs(a2), 1f);
        r -= TORQUE_COST_F32 * Math.min(Math.abs(a3), 1f);
        return r;
    }

    /** {@code motorSpeed = SPEED * sign(a)}, {@code maxMotorTorque = 80 * clip(|a|, 0, 1)} (both wake the bodies). */
    private void motor(int k, int speed, float a) {
        joints[k].setMotorSpeed(speed * Math.signum(a));
        joints[k].setMaxMotorTorque(MOTORS_TORQUE * Math.min(Math.abs(a), 1f));
    }

    @Override
    Body[] trackedBodies() {
        return new Body[] {hull, legs[0], legs[1], legs[2], legs[3]};
    }

    /** Gymnasium's {@code terrain_x} of this episode (200 doubles). */
    public double[] terrainX() {
        checkHasState();
        return terrainX.clone();
    }

    /** Gymnasium's {@code terrain_y} of this episode (200 doubles). */
    public double[] terrainY() {
        checkHasState();
        return terrainY.clone();
    }

    /** The hardcore obstacles of this episode, each {@code x0, y0, ..., x3, y3} as Gymnasium passes them to Box2D. */
    public List<double[]> obstacles() {
        checkHasState();
        List<double[]> out = new ArrayList<>();
        for (double[] o : obstacles) {
            out.add(o.clone());
        }
        return out;
    }

    /**
     * The obstacles as Box2D stores them: float32 vertices {@code x0, y0, ...} in the order {@code b2PolygonShape::Set}
     * produced (Gymnasium's {@code obstacle_polygons_box2d}).
     */
    public List<float[]> obstacleShapes() {
        checkHasState();
        List<float[]> out = new ArrayList<>();
        Vector2 v = new Vector2();
        for (Body b : obstacleBodies) {
            PolygonShape shape = (PolygonShape) b.getFixtureList().get(0).getShape();
            float[] xy = new float[2 * shape.getVertexCount()];
            for (int i = 0; i < shape.getVertexCount(); i++) {
                shape.getVertex(i, v);
                xy[2 * i] = v.x;
                xy[2 * i + 1] = v.y;
            }
            out.add(xy);
        }
        return out;
    }

    /** Gymnasium's LidarCallback: ignores fixtures outside category 1, clips the ray at every terrain hit. */
    private final class Lidar implements RayCastCallback {
        float fraction;
        int ray;

        @Override
        public float reportRayFixture(Fixture fixture, Vector2 point, Vector2 normal, float fraction) {
            if ((fixture.getFilterData().categoryBits & 1) == 0) {
                return -1;
            }
            lidarRays[4 * ray + 2] = point.x;
            lidarRays[4 * ray + 3] = point.y;
            this.fraction = fraction;
            return fraction;
        }
    }

    /** Gymnasium's ContactDetector: the hull touching anything ends the game; only the lower legs report contact. */
    private final class WalkerContacts extends Contacts {
        @Override
        public void beginContact(Contact contact) {
            Body a = contact.getFixtureA().getBody();
            Body b = contact.getFixtureB().getBody();
            if (hull == a || hull == b) {
                gameOver = true;
            }
            for (int k = 1; k < 4; k += 2) {
                if (legs[k] == a || legs[k] == b) {
                    groundContact[k] = true;
                }
            }
        }

        @Override
        public void endContact(Contact contact) {
            Body a = contact.getFixtureA().getBody();
            Body b = contact.getFixtureB().getBody();
            for (int k = 1; k < 4; k += 2) {
                if (legs[k] == a || legs[k] == b) {
                    groundContact[k] = false;
                }
            }
        }
    }

    /**
     * Gymnasium's picture: a 600x400 window that follows the walker (its left edge {@code hull.x - W/5}), the lilac sky
     * with clouds at half speed, the green ground, hardcore obstacles in white, one lidar ray sweeping in red, the legs
     * and the purple hull, and the start flag.
     */
    @Override
    public BufferedImage render(int width, int height) {
        checkHasState();
        double scroll = hull.getPosition().x - VIEWPORT_W / SCALE / 5;
        double off = Math.max(0.0, scroll) * SCALE; // Gymnasium crops the rightmost 600 px of its wider surface
        try (Canvas c = Canvas.open(width, height, VIEWPORT_W, VIEWPORT_H)) {
            c.polygon(SKY, 0, 0, VIEWPORT_W, 0, VIEWPORT_W, VIEWPORT_H, 0, VIEWPORT_H);
            for (double[] cloud : clouds) {
                double[] xy = new double[cloud.length];
                for (int i = 0; i < cloud.length; i += 2) {
                    xy[i] = cloud[i] * SCALE + scroll * SCALE / 2 - off;
                    xy[i + 1] = cloud[i + 1] * SCALE;
                }
                c.polygon(Color.WHITE, xy);
            }
            for (int i = 0; i < TERRAIN_LENGTH - 1; i++) {
                double x1 = terrainX[i] * SCALE - off;
                double x2 = terrainX[i + 1] * SCALE - off;
                if (x2 < 0 || x1 > VIEWPORT_W) {
                    continue;
                }
                c.polygon(GROUND, x1, terrainY[i] * SCALE, x2, terrainY[i + 1] * SCALE, x2, 0, x1, 0);
                c.line(i % 2 == 0 ? GRASS_LIGHT : GRASS_DARK, 1, x1, terrainY[i] * SCALE, x2, terrainY[i + 1] * SCALE);
            }
            for (double[] o : obstacles) {
                double[] xy = new double[o.length];
                for (int i = 0; i < o.length; i += 2) {
                    xy[i] = o[i] * SCALE - off;
                    xy[i + 1] = o[i + 1] * SCALE;
                }
                c.polygon(Color.WHITE, xy);
                c.polyline(OBSTACLE_OUTLINE, 1, closed(xy));
            }
            lidarRender = (lidarRender + 1) % 100;
            int i = lidarRender;
            if (i < 20) {
                int ray = i < 10 ? i : 19 - i; // Python: lidar[len(lidar) - i - 1], a negative index
                c.line(Color.RED, 1, lidarRays[4 * ray] * SCALE - off, lidarRays[4 * ray + 1] * SCALE,
                        lidarRays[4 * ray + 2] * SCALE - off, lidarRays[4 * ray + 3] * SCALE);
            }
            for (int k = 0; k < 4; k++) {
                int side = k < 2 ? -1 : +1;
                double hw = (k % 2 == 0 ? LEG_W / 2 : 0.8 * LEG_W / 2) * SCALE;
                double hh = LEG_H / 2 * SCALE;
                drawBody(c, legs[k], new double[] {-hw, -hh, hw, -hh, hw, hh, -hw, hh}, off,
                        new Color(153 - side * 25, 76 - side * 25, 127 - side * 25),
                        new Color(102 - side * 25, 51 - side * 25, 76 - side * 25));
            }
            double[] hullPx = new double[HULL_POLY.length * 2];
            for (int k = 0; k < HULL_POLY.length; k++) {
                hullPx[2 * k] = HULL_POLY[k][0];
                hullPx[2 * k + 1] = HULL_POLY[k][1];
            }
            drawBody(c, hull, hullPx, off, HULL_FILL, HULL_OUTLINE);
            double flagy1 = TERRAIN_HEIGHT * SCALE;
            double flagy2 = flagy1 + 50;
            double x = TERRAIN_STEP * 3 * SCALE - off;
            c.line(Color.BLACK, 1, x, flagy1, x, flagy2);
            double[] flag = {x, flagy2, x, flagy2 - 10, x + 25, flagy2 - 5};
            c.polygon(FLAG, flag);
            c.polyline(Color.BLACK, 1, closed(flag));
            return c.image();
        }
    }

    private static final Color SKY = new Color(215, 215, 255);
    private static final Color GROUND = new Color(102, 153, 76);
    private static final Color GRASS_LIGHT = new Color(76, 255, 76);
    private static final Color GRASS_DARK = new Color(76, 204, 76);
    private static final Color OBSTACLE_OUTLINE = new Color(153, 153, 153);
    private static final Color HULL_FILL = new Color(127, 51, 229);
    private static final Color HULL_OUTLINE = new Color(76, 76, 127);
    private static final Color FLAG = new Color(230, 51, 0);

    private static double[] closed(double[] xy) {
        double[] out = java.util.Arrays.copyOf(xy, xy.length + 2);
        out[xy.length] = xy[0];
        out[xy.length + 1] = xy[1];
        return out;
    }

    /** A body's polygon given in pixels around its origin, shifted left by {@code off} pixels. */
    private static void drawBody(Canvas c, Body b, double[] localPixels, double off, Color fill, Color outline) {
        Vector2 p = b.getPosition();
        double cos = Math.cos(b.getAngle());
        double sin = Math.sin(b.getAngle());
        double[] xy = new double[localPixels.length];
        for (int i = 0; i < localPixels.length; i += 2) {
            xy[i] = p.x * SCALE + cos * localPixels[i] - sin * localPixels[i + 1] - off;
            xy[i + 1] = p.y * SCALE + sin * localPixels[i] + cos * localPixels[i + 1];
        }
        c.polygon(fill, xy);
        c.polyline(outline, 1, closed(xy));
    }
}
