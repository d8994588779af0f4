package dev.proxima.core.testing

import dev.proxima.core.ppo.HeadGrads
import dev.proxima.core.ppo.HeadOutputs
import dev.proxima.core.ppo.Minibatch

/** An array-backed [Minibatch]; arrays not needed by a test may be left empty. */
class ArrayMinibatch(
    private val n: Int,
    val oldLogProb: DoubleArray = DoubleArray(n),
    val advantages: DoubleArray = DoubleArray(n),
    val returns: DoubleArray = DoubleArray(n),
    val oldValues: DoubleArray = DoubleArray(n),
) : Minibatch {
    override fun size() = n
    override fun oldLogProb(i: Int) = oldLogProb[i]
    override fun advantage(i: Int) = advantages[i]
    override fun returns(i: Int) = returns[i]
    override fun oldValue(i: Int) = oldValues[i]
}

class ArrayOutputs(
    n: Int,
    val logProb: DoubleArray = DoubleArray(n),
    val entropy: DoubleArray = DoubleArray(n),
    val values: DoubleArray = DoubleArray(n),
) : HeadOutputs {
    override fun logProb(i: Int) = logProb[i]
    override fun entropy(i: Int) = entropy[i]
    override fun value(i: Int) = values[i]
}

/** Accumulates what loss terms add, per row. */
class ArrayGrads(n: Int) : HeadGrads {
    val logProb = DoubleArray(n)
    val entropy = DoubleArray(n)
    val value = DoubleArray(n)
    override fun addLogProb(i: Int, g: Double) { logProb[i] += g }
    override fun addEntropy(i: Int, g: Double) { entropy[i] += g }
    override fun addValue(i: Int, g: Double) { value[i] += g }
}
