package dev.proxima.envs.box2d;

/**
 * A Box2D body's state as Gymnasium's golden data records it: every value a float32 read from Box2D.
 *
 * @param x     position x (body origin, m)
 * @param y     position y
 * @param angle angle (rad)
 * @param vx    linear velocity x (m/s)
 * @param vy    linear velocity y
 * @param omega angular velocity (rad/s)
 * @param awake whether Box2D has not put the body to sleep
 */
public record BodyState(float x, float y, float angle, float vx, float vy, float omega, boolean awake) {}
