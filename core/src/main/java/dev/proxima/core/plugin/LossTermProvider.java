package dev.proxima.core.plugin;

import dev.proxima.core.ppo.LossTerm;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Service-provider interface for named loss terms: implement it and list the class in
 * {@code META-INF/services/dev.proxima.core.plugin.LossTermProvider}; {@code Registry.global().lossTerm("my-term")}
 * (the DSL's {@code loss { term("my-term") }}) then finds it. Terms may hold per-run state (an adaptive β), so a
 * provider gives a {@link Supplier} that makes a fresh instance each time.
 */
public interface LossTermProvider {
    /** Makers of loss terms by id. Ids must be unique across providers. */
    Map<String, Supplier<? extends LossTerm>> lossTerms();
}
