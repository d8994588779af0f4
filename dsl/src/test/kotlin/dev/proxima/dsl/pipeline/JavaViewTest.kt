package dev.proxima.dsl.pipeline

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainAll
import java.lang.reflect.GenericArrayType
import java.lang.reflect.Modifier
import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.WildcardType

/**
 * What Java sees of the trainer API: no Kotlin library types (functions, `Flow`, `Continuation`, `Unit`, coroutine
 * dispatchers) in any public signature, record-style accessors, static factories, and overloads for the defaults.
 * The DSL builders are Kotlin-only by design and not checked; everything a Java program needs is in core.
 */
class JavaViewTest : FunSpec({
    val javaFacing = listOf(PpoTrainer::class.java)

    fun kotlinTypes(t: Type): List<String> = when (t) {
        is Class<*> -> if (t.isArray) kotlinTypes(t.componentType)
        else listOfNotNull(t.name.takeIf { it.startsWith("kotlin.") || it.startsWith("kotlinx.") })
        is ParameterizedType -> kotlinTypes(t.rawType) + t.actualTypeArguments.flatMap { kotlinTypes(it) }
        is WildcardType -> (t.upperBounds + t.lowerBounds).flatMap { kotlinTypes(it) }
        is GenericArrayType -> kotlinTypes(t.genericComponentType)
        else -> emptyList()
    }

    test("no Kotlin library type in a public signature") {
        val offenders = javaFacing.flatMap { c ->
            // Every Kotlin enum gets getEntries(): EnumEntries next to values(); Java uses values().
            val methods = c.declaredMethods.filter { Modifier.isPublic(it.modifiers) && !it.isSynthetic && !it.isBridge }
                .filterNot { c.isEnum && it.name == "getEntries" }
                .map { m -> m.toGenericString() to (listOf(m.genericReturnType) + m.genericParameterTypes) }
            val ctors = c.declaredConstructors.filter { Modifier.isPublic(it.modifiers) && !it.isSynthetic }
                .map { k -> k.toGenericString() to k.genericParameterTypes.toList() }
            (methods + ctors).filter { (_, types) -> types.any { kotlinTypes(it).isNotEmpty() } }.map { it.first }
        }
        offenders.shouldBeEmpty()
    }

    test("Java gets blocking and future twins with overloads, and record-style accessors") {
        fun sigs(c: Class<*>) = c.methods.filter { !it.isSynthetic }
            .map { m -> m.name + m.parameterTypes.joinToString(",", "(", ")") { it.simpleName } }
        sigs(PpoTrainer::class.java) shouldContainAll listOf(
            "trainBlocking()", "trainBlocking(long)", "trainBlocking(long,UpdateListener)",
            "trainAsync()", "trainAsync(long)", "run()", "run(long)", "resume(Path)", "resume(Path,long)",
            "config()", "workers()", "totalSteps()", "trainer()",
        )
        // The suspend and Flow entries are hidden from Java.
        sigs(PpoTrainer::class.java).filter { it.startsWith("train(") || it.startsWith("updates(") }.shouldBeEmpty()
    }
})
