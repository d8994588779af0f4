package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.parameters.arguments.argument
import com.github.ajalt.clikt.parameters.options.flag
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import com.github.ajalt.clikt.parameters.options.required
import dev.proxima.cli.files.FileWriteException
import dev.proxima.cli.files.InputFiles
import dev.proxima.cli.script.Plugins
import dev.proxima.core.export.OnnxExport
import java.io.IOException
import java.nio.file.Files
import java.util.Locale

/** `proxima export CHECKPOINT --onnx FILE`: the agent's deterministic policy as an ONNX model (core's [OnnxExport]). */
internal class ExportCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "export") {
    override fun help(context: Context) = """
        Exports a saved agent's policy as an ONNX model, to serve it without Proxima.

        Writes the deterministic policy of CHECKPOINT (an agent or a training checkpoint) to the --onnx file, atomically:
        input "${OnnxExport.OBSERVATION}" (raw flattened observations, float32 [batch, obsDim]; the observation normaliser is part
        of the model, and an env with action masks adds the input "${OnnxExport.ACTION_MASK}"), outputs "${OnnxExport.ACTION}" (the action to
        pass to the env) and "${OnnxExport.VALUE}" (V(s)). ONNX IR ${OnnxExport.IR_VERSION}, opset ${OnnxExport.OPSET}. Only networks built by Network
        (separate or shared MLPs) export. The env is found as for eval: built in, from --classpath jars, or --script.
    """.trimIndent()

    val checkpoint by argument("CHECKPOINT", help = "the checkpoint file (.safetensors)")
    val onnx by option("--onnx", metavar = "FILE", help = "the ONNX file to write").required()
    val noValue by option("--no-value", help = "leave out the \"${OnnxExport.VALUE}\" output").flag()
    val distribution by option("--distribution",
        help = "add the distribution's parameters: \"${OnnxExport.LOGITS}\" (categorical) or \"${OnnxExport.MEAN}\" and \"${OnnxExport.LOG_STD}\" (Gaussian)").flag()
    val script by option("--script", metavar = "FILE",
        help = "a script to run for an env it declares itself (the training script)")
    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders with the env's provider (separated by '${java.io.File.pathSeparator}')").multiple()

    override fun run() {
        val file = InputFiles.requireCheckpoint(ctx.workDir, checkpoint)
        val target = InputFiles.requireWritableTarget(ctx.workDir.resolve(onnx), onnx, "--onnx", "policy.onnx")
        val plugins = Plugins.of(classpath, ctx.env, ctx.workDir)
        val agent = AgentLoader(ctx, "export", checkpoint, script).load(file, plugins)
        try {
            OnnxExport.of(agent).value(!noValue).distribution(distribution).write(target)
        } catch (e: IllegalArgumentException) {
            throw CommandException("export: ${e.message?.removePrefix("OnnxExport: ")}")
        } catch (e: IllegalStateException) {
            throw CommandException("export: ${e.message?.removePrefix("OnnxExport: ")}")
        } catch (e: IOException) {
            throw FileWriteException(target, e)
        }
        ctx.out.println(String.format(Locale.ROOT, "exported %s (%s, %s) to %s: %,d bytes", checkpoint, agent.env().id(),
            agent.head().javaClass.simpleName, onnx, Files.size(target)))
    }
}
