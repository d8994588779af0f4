package dev.proxima.envs.box2d

import com.badlogic.gdx.math.Vector2
import com.badlogic.gdx.physics.box2d.BodyDef
import com.badlogic.gdx.physics.box2d.EdgeShape
import com.badlogic.gdx.physics.box2d.Fixture
import com.badlogic.gdx.physics.box2d.FixtureDef
import com.badlogic.gdx.physics.box2d.PolygonShape
import com.badlogic.gdx.physics.box2d.World
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe

/**
 * [PairOrder] on a small world: a wide box drops onto a row of short ground edges (created out of x order) and reaches
 * several of them in one pair update. Box2D 2.3 creates those contacts in proxy id order and prepends each to the world's contact list, so the
 * list holds them in descending creation order of the edges.
 */
class PairOrderTest : FunSpec({
    Box2dNatives.load()

    /** The creation indices of the edges in the world's contact list after the box lands, with or without PairOrder. */
    fun edgeOrder(ordered: Boolean): List<Int> {
        val world = World(Vector2(0f, -10f), true)
        try {
            val pairs = PairOrder(world)
            val edges = ArrayList<Fixture>()
            val edge = EdgeShape()
            val ground = world.createBody(BodyDef())
            // Created out of x order, so that the broad-phase tree (built by position) lists them in another order.
            for (i in intArrayOf(5, 0, 9, 3, 11, 1, 7, 2, 10, 4, 8, 6)) {
                edge.set(i * 0.5f - 3f, 0f, i * 0.5f - 2.5f, 0f)
                val f = ground.createFixture(FixtureDef().apply { shape = edge })
                if (ordered) pairs.add(f)
                edges += f
            }
            edge.dispose()
            val box = world.createBody(BodyDef().apply { type = BodyDef.BodyType.DynamicBody; position.set(0.1f, 2f) })
            val shape = PolygonShape().apply { setAsBox(2f, 0.5f) }
            val f = box.createFixture(FixtureDef().apply { this.shape = shape; density = 1f })
            shape.dispose()
            if (ordered) {
                pairs.add(f)
                pairs.install()
            }
            repeat(60) {
                if (ordered) pairs.beforeStep()
                world.step(1 / 50f, 8, 3)
            }
            if (ordered) pairs.unordered() shouldBe 0L
            return world.contactList.map { c -> edges.indexOf(c.fixtureA).takeIf { it >= 0 } ?: edges.indexOf(c.fixtureB) }
        } finally {
            world.dispose()
        }
    }

    test("the contacts come out in Box2D 2.3's order: descending proxy id of the edge") {
        val order = edgeOrder(ordered = true)
        (order.size > 3) shouldBe true
        order shouldBe order.sortedDescending()
    }

    test("libGDX's natives alone create them in another order (if this fails, libGDX sorts again: PairOrder may go)") {
        val order = edgeOrder(ordered = false)
        order.toSet() shouldBe edgeOrder(ordered = true).toSet()
        order shouldNotBe order.sortedDescending()
    }
})
