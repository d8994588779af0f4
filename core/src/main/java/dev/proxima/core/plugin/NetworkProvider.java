package dev.proxima.core.plugin;

import dev.proxima.core.nn.NetworkFactory;
import java.util.Map;

/**
 * Service-provider interface for named network factories: implement it and list the class in
 * {@code META-INF/services/dev.proxima.core.plugin.NetworkProvider}; {@code Registry.global().network("my-net")} (the
 * DSL's {@code network { use("my-net") }}, the CLI's {@code --set network=my-net}) then finds it.
 */
public interface NetworkProvider {
    /** Factories by id, e.g. {@code "resnet-mlp" -> MyNetworks.resMlp()}. Ids must be unique across providers. */
    Map<String, NetworkFactory> networks();
}
