package dev.proxima.cli

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.net.ServerSocket
import java.nio.file.Files

/** `proxima worker`: its help, and what it does with bad arguments or no learner. The cluster run: ClusterTrainTest. */
class WorkerCommandTest : FunSpec({
    val wd = Files.createTempDirectory("worker-test")

    test("worker --help lists every option and the exit codes; the root help lists the command") {
        for (args in listOf(arrayOf("worker", "--help"), arrayOf("help", "worker"))) {
            proxima(wd, *args).run {
                code shouldBe 0
                out shouldStartWith "Usage: proxima worker"
                for (o in listOf("--join", "--cluster", "--index", "--threads", "--connect-timeout", "--script",
                    "--classpath", "--verbose")) out shouldContain o
                out shouldContain "${WorkerCommand.EXIT_NO_LEARNER} no learner of that cluster name answered"
                out.contains(WorkerCommand.LAUNCHED) shouldBe false
            }
        }
        proxima(wd, "--help").out shouldContain "worker"
        proxima(wd, "wokrer").err.trim() shouldBe "proxima: unknown command wokrer. Did you mean worker? See 'proxima --help'."
    }

    test("bad arguments: one line naming the value and what to do, exit 2, no stack trace") {
        val cases = listOf(
            listOf("worker") to "missing option --join",
            listOf("worker", "--join", "localhost") to "\"localhost\" is not HOST:PORT, e.g. 127.0.0.1:5701",
            listOf("worker", "--join", "127.0.0.1:70000") to "\"127.0.0.1:70000\": the port must be a number in [1, 65535]",
            listOf("worker", "--join", ":5701") to "\":5701\" is not HOST:PORT",
            listOf("worker", "--join", "127.0.0.1:5701", "--cluster", "my run") to
                "--cluster \"my run\" must be 1 to 64 letters, digits, '.', '_' or '-'",
            listOf("worker", "--join", "127.0.0.1:5701", "--threads", "0") to "--threads",
            listOf("worker", "--join", "127.0.0.1:5701", "--index", "-1") to "--index",
            listOf("worker", "--join", "127.0.0.1:5701", "--connect-timeout", "0") to "--connect-timeout",
            listOf("worker", "--join", "127.0.0.1:5701", "--scirpt", "a.ppo.kts") to
                "unknown option --scirpt. Did you mean --script?",
        )
        for ((args, message) in cases) {
            val r = proxima(wd, *args.toTypedArray())
            withClue("$args\n$r") {
                r.code shouldBe Cli.EXIT_USAGE
                r.err shouldStartWith "proxima: worker: "
                r.err shouldContain message
                r.err.trim().lines().size shouldBe 1
                r.hasNoStackTrace() shouldBe true
            }
        }
    }

    test("a missing --script is named before connecting (exit 1)") {
        val r = proxima(wd, "worker", "--join", "127.0.0.1:5701", "--script", "nope.ppo.kts")
        withClue(r) {
            r.code shouldBe Cli.EXIT_FAILURE
            r.err.trim() shouldBe "proxima: no such file: nope.ppo.kts"
        }
    }

    test("no learner at --join: says so within --connect-timeout, exit ${WorkerCommand.EXIT_NO_LEARNER}") {
        val port = ServerSocket(0).use { it.localPort } // free now, so nothing answers there
        val r = proxima(wd, "worker", "--join", "127.0.0.1:$port", "--cluster", "nobody-here", "--connect-timeout", "1")
        withClue(r) {
            r.code shouldBe WorkerCommand.EXIT_NO_LEARNER
            r.out shouldContain "worker: joining the learner at 127.0.0.1:$port (cluster nobody-here)"
            r.err shouldStartWith "proxima worker: "
            r.err shouldContain "127.0.0.1:$port"
            r.hasNoStackTrace() shouldBe true
        }
    }
})
