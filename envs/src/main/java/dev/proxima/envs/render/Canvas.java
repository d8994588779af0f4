package dev.proxima.envs.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * A white frame with Gymnasium's drawing coordinates: the scene is laid out on a {@code worldWidth} by
 * {@code worldHeight} screen with the y axis pointing <em>up</em> (Gymnasium's pygame code draws upside down and flips
 * the surface at the end) and scaled to the requested pixel size. Shapes are antialiased.
 *
 * <p>Use it in try-with-resources; {@link #close()} releases the {@link Graphics2D}, and {@link #image()} is the
 * frame.
 */
public final class Canvas implements AutoCloseable {
    private final BufferedImage image;
    private final Graphics2D g;

    private Canvas(int width, int height, double worldWidth, double worldHeight) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("render: width = " + width + " and height = " + height
                    + " must both be at least 1 pixel.");
        }
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.scale(width / worldWidth, height / worldHeight);
        g.translate(0, worldHeight);
        g.scale(1, -1);
        g.setStroke(new BasicStroke(1f));
    }

    /** A white {@code width} x {@code height} frame showing a {@code worldWidth} x {@code worldHeight} screen. */
    public static Canvas open(int width, int height, double worldWidth, double worldHeight) {
        return new Canvas(width, height, worldWidth, worldHeight);
    }

    /** Fills the polygon through the given points, given as {@code x0, y0, x1, y1, ...}. */
    public Canvas polygon(Color color, double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i + 1 < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        g.setColor(color);
        g.fill(p);
        return this;
    }

    /**
     * Fills the rectangle {@code [l, r] x [b, t]} rotated by {@code angle} radians (counter-clockwise) about the
     * origin and then moved to {@code (x, y)}: pygame's {@code Vector2(c).rotate_rad(angle) + (x, y)}.
     */
    public Canvas rotatedRect(Color color, double l, double r, double b, double t, double angle, double x, double y) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double[] xs = {l, l, r, r};
        double[] ys = {b, t, t, b};
        double[] pts = new double[8];
        for (int i = 0; i < 4; i++) {
            pts[2 * i] = xs[i] * c - ys[i] * s + x;
            pts[2 * i + 1] = xs[i] * s + ys[i] * c + y;
        }
        return polygon(color, pts);
    }

    /** Fills the disc of radius {@code r} centred at {@code (x, y)}. */
    public Canvas disc(Color color, double x, double y, double r) {
        g.setColor(color);
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        return this;
    }

    /** Draws a line of the given width (in screen units). */
    public Canvas line(Color color, double width, double x0, double y0, double x1, double y1) {
        g.setColor(color);
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(x0, y0, x1, y1));
        return this;
    }

    /** Draws the open polyline through {@code x0, y0, x1, y1, ...}. */
    public Canvas polyline(Color color, double width, double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i + 1 < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        g.setColor(color);
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(p);
        return this;
    }

    /** The frame; complete once the canvas is closed. */
    public BufferedImage image() {
        return image;
    }

    @Override
    public void close() {
        g.dispose();
    }
}
