package dev.proxima.envs.box2d;

import com.badlogic.gdx.math.Vector2;
import com.badlogic.gdx.physics.box2d.Body;
import com.badlogic.gdx.physics.box2d.BodyDef;
import com.badlogic.gdx.physics.box2d.Contact;
import com.badlogic.gdx.physics.box2d.ContactListener;
import com.badlogic.gdx.physics.box2d.EdgeShape;
import com.badlogic.gdx.physics.box2d.Fixture;
import com.badlogic.gdx.physics.box2d.FixtureDef;
import com.badlogic.gdx.physics.box2d.World;
import com.badlogic.gdx.physics.box2d.joints.RevoluteJointDef;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import dev.proxima.envs.render.Canvas;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.LongFunction;

/**
 * Gymnasium's {@code LunarLander} ({@code gymnasium/envs/box2d/lunar_lander.py}), shared by the discrete
 * {@link LunarLander} and the continuous {@link LunarLanderContinuous}: a lander starts at the top centre of the
 * screen with a random push and must come to rest on the landing pad between the two flags at (0, 0).
 *
 * <h2>Observation</h2>
 * {@code Box((8,), float32)}, computed in float64 from Box2D's float32 state and cast to float32:
 * <table>
 * <caption>LunarLander observation</caption>
 * <tr><th>Index</th><th>Observation</th><th>Bounds</th></tr>
 * <tr><td>0</td><td>x: {@code (pos.x - W/2) / (W/2)}, 0 at the pad centre</td><td>±2.5</td></tr>
 * <tr><td>1</td><td>y: {@code (pos.y - (helipad_y + LEG_DOWN/SCALE)) / (H/2)}</td><td>±2.5</td></tr>
 * <tr><td>2</td><td>vx: {@code vel.x * (W/2) / FPS}</td><td>±10</td></tr>
 * <tr><td>3</td><td>vy: {@code vel.y * (H/2) / FPS}</td><td>±10</td></tr>
 * <tr><td>4</td><td>angle (rad)</td><td>±2π</td></tr>
 * <tr><td>5</td><td>{@code 20 * angularVelocity / FPS}</td><td>±10</td></tr>
 * <tr><td>6, 7</td><td>leg 0 / leg 1 touches the ground (1 or 0)</td><td>[0, 1]</td></tr>
 * </table>
 * with {@code W = 600/30}, {@code H = 400/30}, {@code FPS = 50}.
 *
 * <h2>Reward</h2>
 * {@code shaping = -100·|(x, y)| - 100·|(vx, vy)| - 100·|angle| + 10·leg0 + 10·leg1} on the float64 state; each step
 * earns {@code shaping - previous shaping}, minus 0.3 per frame of full main engine and 0.03 per frame of side
 * engine. Then {@code -100} if the lander body touched the ground or {@code |x| >= 1}, and finally {@code +100} if the
 * lander came to rest (Box2D put it to sleep), which wins over the crash. Solved at 200.
 *
 * <h2>Starting state</h2>
 * The terrain: 11 chunks whose heights are {@code uniform(0, H/2)}, flattened at the pad and smoothed; the lander at
 * the top centre, pushed by a force {@code uniform(±1000)} in x and in y during the first Box2D step. Reset ends with
 * Gymnasium's internal no-op step (its observation is the reset observation).
 *
 * <h2>Episode end</h2>
 * <b>Terminates</b> when the lander body touches the ground, leaves the screen ({@code |x| >= 1}) or comes to rest.
 * <b>Truncates</b> after 1000 steps, by the spec's {@link dev.proxima.core.env.TimeLimit}.
 *
 * <h2>Options</h2>
 * Gymnasium's keyword arguments, set through {@link Box2dEnvs#lunarLander()}: {@code gravity} in (-12, 0), default
 * -10; {@code enable_wind} (default off), {@code wind_power} (15, recommended 0-20) and {@code turbulence_power} (1.5,
 * recommended 0-2): the wind is {@code tanh(sin(0.02 k) + sin(0.01 π k))} times the power, applied while no leg
 * touches, with {@code k} starting at {@code integers(-9999, 9999)}.
 *
 * <h2>Randomness</h2>
 * Every step draws two {@code uniform(-1, 1)} dispersions, whatever the action, and so does the internal step of
 * reset; the draw order is Gymnasium's ({@link EnvRandom}).
 *
 * <h2>Exactness</h2>
 * The physics is the C++ Box2D 2.3 Gymnasium's pybox2d wraps, through libGDX's JNI binding, with every value handed to
 * Box2D rounded to float32 as pybox2d rounds it and pybox2d's automatic revolute-joint reference angle. Trajectories
 * match Gymnasium's recorded ones to 1e-4 up to each case's {@code stable_steps} (typically until the legs touch);
 * after that, contact timing makes exact comparison meaningless and the returns match in distribution.
 *
 * @param <A> {@code Integer} (discrete) or {@code float[]} (continuous)
 */
public abstract sealed class LunarLanderEnv<A> extends Box2dEnv<A> permits LunarLander, LunarLanderContinuous {
    static final double FPS = 50;
    static final double SCALE = 30.0;
    static final double MAIN_ENGINE_POWER = 13.0;
    static final double SIDE_ENGINE_POWER = 0.6;
    static final double INITIAL_RANDOM = 1000.0;
    static final int[][] LANDER_POLY = {{-14, 17}, {-17, 0}, {-17, -10}, {17, -10}, {17, 0}, {14, 17}};
    static final int LEG_AWAY = 20;
    static final int LEG_DOWN = 18;
    static final int LEG_W = 2;
    static final int LEG_H = 8;
    static final int LEG_SPRING_TORQUE = 40;
    static final int SIDE_ENGINE_HEIGHT = 14;
    static final int SIDE_ENGINE_AWAY = 12;
    static final int MAIN_ENGINE_Y_LOCATION = 4;
    static final int VIEWPORT_W = 600;
    static final int VIEWPORT_H = 400;
    static final int CHUNKS = 11;
    static final double W = VIEWPORT_W / SCALE;
    static final double H = VIEWPORT_H / SCALE;

    private static final Box OBSERVATIONS = Box.of(
            new float[] {-2.5f, -2.5f, -10f, -10f, (float) (-2 * Math.PI), -10f, -0f, -0f},
            new float[] {2.5f, 2.5f, 10f, 10f, (float) (2 * Math.PI), 10f, 1f, 1f});

    private final double gravity;
    private final boolean enableWind;
    private final double windPower;
    private final double turbulencePower;

    private Body moon;
    private Body lander;
    private final Body[] legs = new Body[2];
    private final boolean[] legContact = new boolean[2];
    private boolean gameOver;
    private double prevShaping;
    private boolean hasPrevShaping;
    private long windIdx;
    private long torqueIdx;
    /** The terrain as Gymnasium computes it (doubles before Box2D rounds them), for rendering and tests. */
    private final double[] chunkX = new double[CHUNKS];
    private final double[] smoothY = new double[CHUNKS];
    private final double[] height = new double[CHUNKS + 1];
    private double helipadX1;
    private double helipadX2;
    private double helipadY;
    private final ContactListener contacts = new LanderContacts();

    LunarLanderEnv(double gravity, boolean enableWind, double windPower, double turbulencePower,
            LongFunction<EnvRandom> randomFactory) {
        super(randomFactory);
        checkOptions(gravity, windPower, turbulencePower);
        this.gravity = gravity;
        this.enableWind = enableWind;
        this.windPower = windPower;
        this.turbulencePower = turbulencePower;
    }

    /** Gymnasium's checks of the options: gravity in (-12, 0); the powers finite. */
    static void checkOptions(double gravity, double windPower, double turbulencePower) {
        if (!(-12.0 < gravity && gravity < 0.0)) {
            throw new IllegalArgumentException("LunarLander: gravity = " + gravity + " must be between -12 and 0"
                    + " (exclusive), as Gymnasium asserts; the default is -10.");
        }
        if (!Double.isFinite(windPower) || !Double.isFinite(turbulencePower)) {
            throw new IllegalArgumentException("LunarLander: windPower = " + windPower + " and turbulencePower = "
                    + turbulencePower + " must be finite (recommended: 0-20 and 0-2).");
        }
    }

    /** Gymnasium's warnings: wind power outside 0-20, turbulence power outside 0-2. */
    static void warnOptions(double windPower, double turbulencePower) {
        System.Logger log = System.getLogger(LunarLanderEnv.class.getName());
        if (windPower < 0.0 || windPower > 20.0) {
            log.log(System.Logger.Level.WARNING, "LunarLander: windPower = " + windPower
                    + " is outside the recommended 0-20 (Gymnasium warns too).");
        }
        if (turbulencePower < 0.0 || turbulencePower > 2.0) {
            log.log(System.Logger.Level.WARNING, "LunarLander: turbulencePower = " + turbulencePower
                    + " is outside the recommended 0-2 (Gymnasium warns too).");
        }
    }

    @Override
    public final Space<float[]> observationSpace() {
        return OBSERVATIONS;
    }

    /** Gravity (m/s², negative), as passed to Box2D. */
    public final double gravity() {
        return gravity;
    }

    /** Whether wind and turbulence are on (Gymnasium's {@code enable_wind}). */
    public final boolean windEnabled() {
        return enableWind;
    }

    /** Gymnasium's {@code wind_power}. */
    public final double windPower() {
        return windPower;
    }

    /** Gymnasium's {@code turbulence_power}. */
    public final double turbulencePower() {
        return turbulencePower;
    }

    @Override
    final float[] build() {
        newWorld((float) gravity, contacts);
        gameOver = false;
        hasPrevShaping = false;
        legContact[0] = false;
        legContact[1] = false;

        random.uniform(0, H / 2, height);
        for (int i = 0; i < CHUNKS; i++) {
            chunkX[i] = W / (CHUNKS - 1) * i;
        }
        helipadX1 = chunkX[CHUNKS / 2 - 1];
        helipadX2 = chunkX[CHUNKS / 2 + 1];
        helipadY = H / 4;
        for (int i = CHUNKS / 2 - 2; i <= CHUNKS / 2 + 2; i++) {
            height[i] = helipadY;
        }
        for (int i = 0; i < CHUNKS; i++) {
            // Python's height[i - 1] wraps to height[11] for i = 0.
            smoothY[i] = 0.33 * (height[i == 0 ? CHUNKS : i - 1] + height[i] + height[i + 1]);
        }

        // The moon: one static body with a flat edge along y = 0 (pybox2d's default fixture: friction 0.2) and the
        // ten terrain edges (friction 0.1), in this order.
        moon = world.createBody(new BodyDef());
        EdgeShape edge = new EdgeShape();
        try {
            edge.set(0f, 0f, (float) W, 0f);
            FixtureDef fd = new FixtureDef();
            fd.shape = edge;
            fixture(moon, fd);
            fd.friction = 0.1f;
            fd.density = 0f;
            for (int i = 0; i < CHUNKS - 1; i++) {
                edge.set((float) chunkX[i], (float) smoothY[i], (float) chunkX[i + 1], (float) smoothY[i + 1]);
                fixture(moon, fd);
            }
        } finally {
            edge.dispose();
        }

        double initialY = VIEWPORT_H / SCALE;
        double initialX = VIEWPORT_W / SCALE / 2;
        lander = dynamicBody(initialX, initialY, 0.0);
        float[] poly = new float[LANDER_POLY.length * 2];
        for (int i = 0; i < LANDER_POLY.length; i++) {
            poly[2 * i] = (float) (LANDER_POLY[i][0] / SCALE);
            poly[2 * i + 1] = (float) (LANDER_POLY[i][1] / SCALE);
        }
        polygon(lander, poly, 5.0f, 0.1f, 0x0010, 0x001);

        double fx = random.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
        double fy = random.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);

        if (enableWind) {
            windIdx = random.integers(-9999, 9999);
            torqueIdx = random.integers(-9999, 9999);
        }

        for (int k = 0; k < 2; k++) {
            int i = k == 0 ? -1 : +1;
            Body leg = dynamicBody(initialX - i * LEG_AWAY / SCALE, initialY, i * 0.05);
            polygon(leg, new float[] {(float) (LEG_W / SCALE), (float) (LEG_H / SCALE)}, 1.0f, 0.2f, 0x0020, 0x001);
            RevoluteJointDef rjd = new RevoluteJointDef();
            rjd.bodyA = lander;
            rjd.bodyB = leg;
            rjd.localAnchorA.set(0f, 0f);
            rjd.localAnchorB.set((float) (i * LEG_AWAY / SCALE), (float) (LEG_DOWN / SCALE));
            // pybox2d's revoluteJointDef sets referenceAngle = bodyB.angle - bodyA.angle (C++ leaves it 0).
            rjd.referenceAngle = leg.getAngle() - lander.getAngle();
            rjd.enableMotor = true;
            rjd.enableLimit = true;
            rjd.maxMotorTorque = LEG_SPRING_TORQUE;
            rjd.motorSpeed = (float) (0.3 * i);
            if (i == -1) {
                rjd.lowerAngle = (float) (0.9 - 0.5);
                rjd.upperAngle = 0.9f;
            } else {
                rjd.lowerAngle = -0.9f;
                rjd.upperAngle = (float) (-0.9 + 0.5);
            }
            world.createJoint(rjd);
            legs[k] = leg;
        }
        pairs.install();
        // Gymnasium applies it right after creating the lander; it only acts in the next step, and install()'s
        // zero-length step would clear it.
        lander.applyForceToCenter((float) fx, (float) fy, true);
        return advance(false, 0, false, 0, 0).observation();
    }

    /**
     * One Gymnasium step after the action was decoded: wind, the two dispersion draws, the engine impulses, the Box2D
     * step, the observation and the reward.
     *
     * @param main      whether the main engine fires
     * @param mPower    its throttle in [0.5, 1]
     * @param side      whether a side engine fires
     * @param direction -1 (left engine) or +1 (right engine)
     * @param sPower    its throttle in [0.5, 1]
     */
    final Step<float[]> advance(boolean main, double mPower, boolean side, double direction, double sPower) {
        if (enableWind && !(legContact[0] || legContact[1])) {
            double windMag = Math.tanh(Math.sin(0.02 * windIdx) + Math.sin(Math.PI * 0.01 * windIdx)) * windPower;
            windIdx += 1;
            lander.applyForceToCenter((float) windMag, 0f, true);
            double torqueMag = Math.tanh(Math.sin(0.02 * torqueIdx) + Math.sin(Math.PI * 0.01 * torqueIdx))
                    * turbulencePower;
            torqueIdx += 1;
            lander.applyTorque((float) torqueMag, true);
        }

        double angle = lander.getAngle();
        double tip0 = Math.sin(angle);
        double tip1 = Math.cos(angle);
        double side0 = -tip1;
        double side1 = tip0;
        double d0 = random.uniform(-1.0, +1.0) / SCALE;
        double d1 = random.uniform(-1.0, +1.0) / SCALE;

        double m = 0.0;
        if (main) {
            m = mPower;
            double ox = tip0 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * d0) + side0 * d1;
            double oy = -tip1 * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * d0) - side1 * d1;
            Vector2 pos = lander.getPosition();
            double px = pos.x + ox;
            double py = pos.y + oy;
            lander.applyLinearImpulse((float) (-ox * MAIN_ENGINE_POWER * m), (float) (-oy * MAIN_ENGINE_POWER * m),
                    (float) px, (float) py, true);
        }
        double s = 0.0;
        if (side) {
            s = sPower;
            double ox = tip0 * d0 + side0 * (3 * d1 + direction * SIDE_ENGINE_AWAY / SCALE);
            double oy = -tip1 * d0 - side1 * (3 * d1 + direction * SIDE_ENGINE_AWAY / SCALE);
            Vector2 pos = lander.getPosition();
            // Gymnasium's quirk: 17 (not SIDE_ENGINE_HEIGHT = 14) horizontally, so the lever arm turns with the lander.
            double px = pos.x + ox - tip0 * 17 / SCALE;
            double py = pos.y + oy + tip1 * SIDE_ENGINE_HEIGHT / SCALE;
            lander.applyLinearImpulse((float) (-ox * SIDE_ENGINE_POWER * s), (float) (-oy * SIDE_ENGINE_POWER * s),
                    (float) px, (float) py, true);
        }

        stepWorld();

        Vector2 pos = lander.getPosition();
        double posX = pos.x;
        double posY = pos.y;
        Vector2 vel = lander.getLinearVelocity();
        double velX = vel.x;
        double velY = vel.y;
        double s0 = (posX - VIEWPORT_W / SCALE / 2) / (VIEWPORT_W / SCALE / 2);
        double s1 = (posY - (helipadY + LEG_DOWN / SCALE)) / (VIEWPORT_H / SCALE / 2);
        double s2 = velX * (VIEWPORT_W / SCALE / 2) / FPS;
        double s3 = velY * (VIEWPORT_H / SCALE / 2) / FPS;
        double s4 = lander.getAngle();
        double s5 = 20.0 * lander.getAngularVelocity() / FPS;
        double s6 = legContact[0] ? 1.0 : 0.0;
        double s7 = legContact[1] ? 1.0 : 0.0;

        double shaping = -100 * Math.sqrt(s0 * s0 + s1 * s1) - 100 * Math.sqrt(s2 * s2 + s3 * s3) - 100 * Math.abs(s4)
                + 10 * s6 + 10 * s7;
        double reward = 0;
        if (hasPrevShaping) {
            reward = shaping - prevShaping;
        }
        prevShaping = shaping;
        hasPrevShaping = true;
        reward -= m * 0.30;
        reward -= s * 0.03;

        boolean terminated = false;
        if (gameOver || Math.abs(s0) >= 1.0) {
            terminated = true;
            reward = -100;
        }
        if (!lander.isAwake()) {
            terminated = true;
            reward = +100;
        }
        float[] obs = {(float) s0, (float) s1, (float) s2, (float) s3, (float) s4, (float) s5, (float) s6, (float) s7};
        return finish(obs, reward, terminated);
    }

    @Override
    final Body[] trackedBodies() {
        return new Body[] {lander, legs[0], legs[1]};
    }

    /** Gymnasium's {@code helipad_x1, helipad_x2, helipad_y, chunk_x[0..10], smooth_y[0..10]} of this episode. */
    public final double[] terrain() {
        checkHasState();
        double[] t = new double[3 + 2 * CHUNKS];
        t[0] = helipadX1;
        t[1] = helipadX2;
        t[2] = helipadY;
        System.arraycopy(chunkX, 0, t, 3, CHUNKS);
        System.arraycopy(smoothY, 0, t, 3 + CHUNKS, CHUNKS);
        return t;
    }

    /** Gymnasium's ContactDetector: the lander body touching anything ends the game; legs report ground contact. */
    private final class LanderContacts extends Contacts {
        @Override
        public void beginContact(Contact contact) {
            Body a = body(contact.getFixtureA());
            Body b = body(contact.getFixtureB());
            if (lander == a || lander == b) {
                gameOver = true;
            }
            for (int i = 0; i < 2; i++) {
                if (legs[i] == a || legs[i] == b) {
                    legContact[i] = true;
                }
            }
        }

        @Override
        public void endContact(Contact contact) {
            Body a = body(contact.getFixtureA());
            Body b = body(contact.getFixtureB());
            for (int i = 0; i < 2; i++) {
                if (legs[i] == a || legs[i] == b) {
                    legContact[i] = false;
                }
            }
        }

        private Body body(Fixture f) {
            return f == null ? null : f.getBody();
        }
    }

    /**
     * Gymnasium's picture on a 600x400 screen: black sky above the white moon, the purple lander and legs, the two
     * yellow flags of the pad. Engine particles are not drawn (they are not simulated).
     */
    @Override
    public final BufferedImage render(int width, int height) {
        checkHasState();
        try (Canvas c = Canvas.open(width, height, VIEWPORT_W, VIEWPORT_H)) {
            for (int i = 0; i < CHUNKS - 1; i++) {
                double x1 = chunkX[i] * SCALE;
                double x2 = chunkX[i + 1] * SCALE;
                c.polygon(Color.BLACK, x1, smoothY[i] * SCALE, x2, smoothY[i + 1] * SCALE, x2, H * SCALE, x1, H * SCALE);
            }
            for (int k = 0; k < 2; k++) {
                body(c, legs[k], new double[] {-LEG_W, -LEG_H, LEG_W, -LEG_H, LEG_W, LEG_H, -LEG_W, LEG_H});
            }
            double[] poly = new double[LANDER_POLY.length * 2];
            for (int i = 0; i < LANDER_POLY.length; i++) {
                poly[2 * i] = LANDER_POLY[i][0];
                poly[2 * i + 1] = LANDER_POLY[i][1];
            }
            body(c, lander, poly);
            for (double x : new double[] {helipadX1 * SCALE, helipadX2 * SCALE}) {
                double flagy1 = helipadY * SCALE;
                double flagy2 = flagy1 + 50;
                c.line(Color.WHITE, 1, x, flagy1, x, flagy2);
                c.polygon(FLAG, x, flagy2, x, flagy2 - 10, x + 25, flagy2 - 5);
            }
            return c.image();
        }
    }

    private static final Color FILL = new Color(128, 102, 230);
    private static final Color OUTLINE = new Color(77, 77, 128);
    private static final Color FLAG = new Color(204, 204, 0);

    /** A body's polygon given in Gymnasium's pixel units around the body origin ({@code x * SCALE}). */
    private static void body(Canvas c, Body b, double[] localPixels) {
        Vector2 p = b.getPosition();
        double angle = b.getAngle();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[] xy = new double[localPixels.length + 2];
        for (int i = 0; i < localPixels.length; i += 2) {
            xy[i] = p.x * SCALE + cos * localPixels[i] - sin * localPixels[i + 1];
            xy[i + 1] = p.y * SCALE + sin * localPixels[i] + cos * localPixels[i + 1];
        }
        c.polygon(FILL, java.util.Arrays.copyOf(xy, localPixels.length));
        xy[localPixels.length] = xy[0];
        xy[localPixels.length + 1] = xy[1];
        c.polyline(OUTLINE, 1, xy);
    }
}
