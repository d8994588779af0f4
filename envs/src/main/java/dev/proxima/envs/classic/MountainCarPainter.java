package dev.proxima.envs.classic;

import dev.proxima.envs.render.Canvas;
import java.awt.Color;
import java.awt.image.BufferedImage;

/** The mountain-car picture shared by {@link MountainCar} and {@link MountainCarContinuous}, after Gymnasium's. */
final class MountainCarPainter {
    private static final double SCREEN_WIDTH = 600;
    private static final double SCREEN_HEIGHT = 400;

    private MountainCarPainter() {}

    /** The track's height at {@code x}: Gymnasium's {@code _height}. */
    private static double height(double x) {
        return Math.sin(3 * x) * 0.45 + 0.55;
    }

    static BufferedImage paint(int width, int height, double position, double goalPosition) {
        double min = MountainCar.MIN_POSITION;
        double scale = SCREEN_WIDTH / (MountainCar.MAX_POSITION - min);
        double carWidth = 40;
        double carHeight = 20;
        double clearance = 10;
        try (Canvas c = Canvas.open(width, height, SCREEN_WIDTH, SCREEN_HEIGHT)) {
            int n = 100;
            double[] track = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double xs = min + (MountainCar.MAX_POSITION - min) * i / (n - 1);
                track[2 * i] = (xs - min) * scale;
                track[2 * i + 1] = height(xs) * scale;
            }
            c.polyline(Color.BLACK, 1.5, track);

            double angle = Math.cos(3 * position); // Gymnasium tilts the car by cos(3p) radians
            double cx = (position - min) * scale;
            double cy = clearance + height(position) * scale;
            c.rotatedRect(Color.BLACK, -carWidth / 2, carWidth / 2, 0, carHeight, angle, cx, cy);
            Color grey = new Color(128, 128, 128);
            for (double wx : new double[] {carWidth / 4, -carWidth / 4}) {
                c.disc(grey, wx * Math.cos(angle) + cx, wx * Math.sin(angle) + cy, carHeight / 2.5);
            }

            double flagX = (goalPosition - min) * scale;
            double flagY1 = height(goalPosition) * scale;
            double flagY2 = flagY1 + 50;
            c.line(Color.BLACK, 1.5, flagX, flagY1, flagX, flagY2);
            c.polygon(new Color(204, 204, 0), flagX, flagY2, flagX, flagY2 - 10, flagX + 25, flagY2 - 5);
            return c.image();
        }
    }
}
