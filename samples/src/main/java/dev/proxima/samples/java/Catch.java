package dev.proxima.samples.java;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.util.SplittableRandom;

/**
 * Catch (as in DeepMind's bsuite): a ball falls one row per step from a random column at the top of a
 * {@value #WIDTH}×{@value #HEIGHT} grid; move the paddle on the bottom row to catch it.
 *
 * <h2>Action space</h2>
 * {@code Discrete(3)}: 0 moves the paddle left, 1 keeps it, 2 moves it right (it stops at the walls).
 *
 * <h2>Observation</h2>
 * {@code Box((3,), float32)} in {@code [0, 1]}: the ball's column and row, and the paddle's column, each divided by
 * its largest value.
 *
 * <h2>Reward</h2>
 * +1 when the ball reaches the bottom row above the paddle, -1 when it does not, 0 before.
 *
 * <h2>Starting state</h2>
 * The ball in a uniformly random column of the top row, the paddle in the middle.
 *
 * <h2>Episode end</h2>
 * Terminates when the ball reaches the bottom row, after {@code HEIGHT - 1} steps. A random policy averages about
 * -0.6; a perfect one, +1.
 */
public final class Catch implements Env<float[], Integer> {
    public static final String ID = "Catch-v0";
    static final int WIDTH = 5;
    static final int HEIGHT = 7;
    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = Box.of(0f, 1f, 3);

    private SplittableRandom rng = new SplittableRandom(0);
    private int ballX;
    private int ballY;
    private int paddleX;
    private boolean started;

    @Override
    public Space<float[]> observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Space<Integer> actionSpace() {
        return ACTIONS;
    }

    @Override
    public String name() {
        return ID;
    }

    @Override
    public Reset<float[]> reset(long seed) {
        rng = new SplittableRandom(seed);
        return reset();
    }

    @Override
    public Reset<float[]> reset() {
        ballX = rng.nextInt(WIDTH);
        ballY = 0;
        paddleX = WIDTH / 2;
        started = true;
        return new Reset<>(observation());
    }

    @Override
    public Step<float[]> step(Integer action) {
        if (action == null || action < 0 || action > 2) {
            throw new IllegalArgumentException("action " + action + " is not 0 (left), 1 (stay) or 2 (right)");
        }
        if (!started) {
            throw new IllegalStateException("call reset(seed) before step, and reset() after an episode ends");
        }
        paddleX = Math.max(0, Math.min(WIDTH - 1, paddleX + action - 1));
        ballY++;
        boolean landed = ballY == HEIGHT - 1;
        double reward = landed ? (ballX == paddleX ? 1.0 : -1.0) : 0.0;
        started = !landed;
        return new Step<>(observation(), reward, landed, false);
    }

    private float[] observation() {
        return new float[] {ballX / (float) (WIDTH - 1), ballY / (float) (HEIGHT - 1), paddleX / (float) (WIDTH - 1)};
    }
}
