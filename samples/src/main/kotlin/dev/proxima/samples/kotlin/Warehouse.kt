package dev.proxima.samples.kotlin

import dev.proxima.core.env.Env
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import java.util.SplittableRandom
import kotlin.math.exp

/**
 * Inventory control for one product in a small warehouse: each day, order stock that arrives [LEAD_TIME] days later,
 * then sell to the day's customers. Demand is random (Poisson) with a weekly pattern, peaking on day 6; storage is
 * limited to [CAPACITY] units.
 *
 * ## Action space
 * `Discrete(13)`: order 0 to 12 units today.
 *
 * ## Observation
 * `Box((10,), float32)` in `[0, 1]`: stock on hand / capacity; the two orders in transit (arriving tomorrow, the day
 * after) / capacity; the day of the week, one-hot (7).
 *
 * ## Reward
 * The day's profit: `2·sold − 1·ordered − 0.2·stock left overnight − 1·unmet demand` (lost sales hurt the
 * reputation). Deliveries that do not fit in the warehouse are lost, having been paid for.
 *
 * ## Starting state
 * Stock uniform in 0..10, nothing in transit, a random day of the week.
 *
 * ## Episode end
 * Never terminates: a time limit truncates it (8 weeks in the registrations of this sample).
 *
 * A uniformly random policy loses about 40 per 8 weeks (it orders 6 a day against a mean demand of 4); always
 * ordering 4 earns about 100; ordering up to the demand expected until the delivery, by weekday, earns about 155.
 */
class Warehouse(seed: Long = 0) : Env<FloatArray, Int> {
    private var rng = SplittableRandom(seed)
    private var stock = 0
    private val inTransit = IntArray(LEAD_TIME)
    private var day = 0
    private var started = false

    override fun observationSpace(): Space<FloatArray> = OBSERVATIONS
    override fun actionSpace(): Space<Int> = ACTIONS
    override fun name() = ID

    override fun reset(seed: Long): Reset<FloatArray> {
        rng = SplittableRandom(seed)
        return reset()
    }

    override fun reset(): Reset<FloatArray> {
        stock = rng.nextInt(11)
        inTransit.fill(0)
        day = rng.nextInt(7)
        started = true
        return Reset(observation())
    }

    override fun step(action: Int): Step<FloatArray> {
        require(action in 0..MAX_ORDER) { "order $action is outside 0..$MAX_ORDER units (Discrete(${MAX_ORDER + 1}))" }
        check(started) { "call reset(seed) before step" }
        val arriving = inTransit[0]
        for (i in 0 until LEAD_TIME - 1) inTransit[i] = inTransit[i + 1]
        inTransit[LEAD_TIME - 1] = action
        stock = minOf(stock + arriving, CAPACITY) // the excess does not fit and is lost
        val demand = poisson(DEMAND[day])
        val sold = minOf(demand, stock)
        stock -= sold
        val unmet = demand - sold
        val reward = PRICE * sold - COST * action - HOLDING * stock - SHORTAGE * unmet
        day = (day + 1) % 7
        return Step(observation(), reward, false, false, mapOf("demand" to demand, "sold" to sold))
    }

    private fun observation(): FloatArray {
        val o = FloatArray(3 + 7)
        o[0] = stock / CAPACITY.toFloat()
        o[1] = inTransit[0] / CAPACITY.toFloat()
        o[2] = inTransit[1] / CAPACITY.toFloat()
        o[3 + day] = 1f
        return o
    }

    /** Knuth's multiplication method: exact, and fast for the small means here. */
    private fun poisson(mean: Double): Int {
        val limit = exp(-mean)
        var k = 0
        var p = rng.nextDouble()
        while (p > limit) {
            k++
            p *= rng.nextDouble()
        }
        return k
    }

    companion object {
        const val ID = "Warehouse-v0"
        const val CAPACITY = 20
        const val LEAD_TIME = 2
        const val MAX_ORDER = 12
        /** Eight weeks. */
        const val DAYS = 56
        private const val PRICE = 2.0
        private const val COST = 1.0
        private const val HOLDING = 0.2
        private const val SHORTAGE = 1.0
        /** Mean demand per day of the week. */
        private val DEMAND = doubleArrayOf(2.0, 2.0, 3.0, 4.0, 6.0, 9.0, 2.0)
        private val ACTIONS = Discrete(MAX_ORDER + 1)
        private val OBSERVATIONS = Box.of(0f, 1f, 10)
    }
}
