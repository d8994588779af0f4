package dev.proxima.samples.java;

import dev.proxima.core.env.ActionMasked;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Snapshottable;
import dev.proxima.core.env.Step;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;

/**
 * A 5×5 maze where walking into a wall or off the grid is illegal: the env reports the legal moves through
 * {@link ActionMasked} and {@link #step} throws on any other. A policy trained with action masks never tries one.
 *
 * <pre>
 *   . . . # .        # wall, G goal
 *   # # . # .
 *   . . . . .
 *   . # # # .
 *   . . . # G
 * </pre>
 *
 * <h2>Action space</h2>
 * {@code Discrete(4)}: 0 up, 1 right, 2 down, 3 left. The mask allows the moves that stay on an open cell (two on
 * average, one in the dead ends).
 *
 * <h2>Observation</h2>
 * {@code Box(0, 1, (5, 5), float32)}: a one-hot grid with 1 on the agent's cell (row-major).
 *
 * <h2>Reward</h2>
 * -1 per step.
 *
 * <h2>Starting state</h2>
 * A uniformly random open cell other than the goal (16 cells).
 *
 * <h2>Episode end</h2>
 * Terminates on reaching G; {@link MaskedMazeProvider} registers it with a time limit of {@value #TIME_LIMIT} steps.
 *
 * <h2>Optimum</h2>
 * The return of an episode is minus the number of steps taken, so the optimal policy walks a shortest path and returns
 * minus the start's distance to G: from 1 (the cell above G) to 10 (the bottom-left pocket, whose way out leads back up
 * and round), {@value #OPTIMAL_MEAN_RETURN} on average over the starts. A uniformly random legal policy averages about
 * -61 under the time limit (measured in {@code PolicySamplesTest}).
 */
public final class MaskedMaze implements Env<float[], Integer>, ActionMasked, Snapshottable {
    public static final String ID = "MaskedMaze-v0";
    /** Steps after which {@link MaskedMazeProvider}'s spec truncates an episode. */
    public static final int TIME_LIMIT = 100;
    /** Mean over the 16 starts of minus their shortest-path distance to G. */
    public static final double OPTIMAL_MEAN_RETURN = -5.5;
    static final String[] LAYOUT = {
        "...#.",
        "##.#.",
        ".....",
        ".###.",
        "...#G",
    };
    static final int SIZE = 5;
    private static final int[] DR = {-1, 0, 1, 0};
    private static final int[] DC = {0, 1, 0, -1};
    private static final String[] NAMES = {"up", "right", "down", "left"};
    private static final Discrete ACTIONS = new Discrete(4);
    private static final Box OBSERVATIONS = new Box(new float[SIZE * SIZE], filled(1f), SIZE, SIZE);

    private Rng rng = new Rng(0);
    private int row;
    private int col;
    private boolean started;

    private static float[] filled(float v) {
        float[] a = new float[SIZE * SIZE];
        java.util.Arrays.fill(a, v);
        return a;
    }

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
        rng = new Rng(seed);
        return reset();
    }

    @Override
    public Reset<float[]> reset() {
        do {
            row = rng.nextInt(SIZE);
            col = rng.nextInt(SIZE);
        } while (!open(row, col) || goal(row, col));
        started = true;
        return new Reset<>(observation());
    }

    @Override
    public Step<float[]> step(Integer action) {
        if (!ACTIONS.contains(action)) {
            throw new EnvContractException(ID + ": action " + action + " is not 0 (up), 1 (right), 2 (down) or 3 (left)");
        }
        if (!started) {
            throw new EnvContractException(ID + ": call reset(seed) before step, and reset() after an episode ends");
        }
        if (!legal(action)) {
            throw new IllegalArgumentException(ID + ": moving " + NAMES[action] + " from row " + row + ", column "
                    + col + " runs into " + (inside(row + DR[action], col + DC[action]) ? "a wall" : "the edge")
                    + "; the action mask rules it out");
        }
        row += DR[action];
        col += DC[action];
        boolean done = goal(row, col);
        started = !done;
        return new Step<>(observation(), -1.0, done, false);
    }

    /** Up, right, down, left: legal when the cell they lead to is open. */
    @Override
    public void actionMask(boolean[] mask, int offset) {
        for (int a = 0; a < 4; a++) {
            mask[offset + a] = legal(a);
        }
    }

    private boolean legal(int action) {
        return open(row + DR[action], col + DC[action]);
    }

    private static boolean inside(int r, int c) {
        return r >= 0 && r < SIZE && c >= 0 && c < SIZE;
    }

    static boolean open(int r, int c) {
        return inside(r, c) && LAYOUT[r].charAt(c) != '#';
    }

    static boolean goal(int r, int c) {
        return LAYOUT[r].charAt(c) == 'G';
    }

    private float[] observation() {
        float[] obs = new float[SIZE * SIZE];
        obs[row * SIZE + col] = 1f;
        return obs;
    }

    /** The whole state (random stream, position), so a training checkpoint continues an episode exactly. */
    @Override
    public long[] snapshot() {
        return new long[] {rng.state(), row, col, started ? 1 : 0};
    }

    @Override
    public void restore(long[] snapshot) {
        Snapshottable.checkLength(snapshot, 4, MaskedMaze.class);
        rng = Rng.fromState(snapshot[0]);
        row = (int) snapshot[1];
        col = (int) snapshot[2];
        started = snapshot[3] != 0;
    }
}
