package dev.proxima.cluster.transport;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.collection.IQueue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster over Hazelcast 5 (open-source edition): the learner is the only member of a Hazelcast cluster named after
 * the run, and each worker is a Hazelcast client of it. Messages are {@code byte[]} in {@code IQueue}s: one inbox for
 * the learner, one per worker.
 *
 * <h2>Security defaults</h2>
 * <ul>
 *   <li>The learner binds the one interface it is given ({@code 127.0.0.1} unless the user names another) and
 *       nothing else ({@code hazelcast.socket.bind.any=false}).</li>
 *   <li>Multicast and auto-detection discovery are off; the member list is explicit (the learner itself); workers
 *       connect to the address they are given.</li>
 *   <li>The cluster name is the run's: a client with another name is refused by Hazelcast.</li>
 *   <li>Java deserialisation is refused: Hazelcast's serialisation filter is on, its default allow-list (which
 *       admits {@code java.*}) disabled, and every class name denied, so a Java-serialised object sent to any queue
 *       fails to deserialise before any of its code runs, and is counted as refused. Proxima's messages are byte
 *       arrays (Hazelcast's built-in serializer), never Java serialisation.</li>
 *   <li>Phone-home (usage statistics sent to Hazelcast) is off.</li>
 * </ul>
 * The open-source edition has no TLS and no authentication: anyone who can reach the port and knows the cluster name
 * can join as a worker and read the policy. Run multi-host clusters on a private network only.
 */
public final class HazelcastTransport implements Transport {
    private static final String LEARNER_INBOX = "proxima.learner";
    private static final String WORKER_INBOX = "proxima.worker.";
    /** Keeps the configured level: java.util.logging forgets loggers nobody references. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    /** Warns at every start that the JVM was not given --add-opens for Hazelcast's faster internals; not a problem. */
    private static final Logger INSTANCE_FACTORY_LOG =
            Logger.getLogger("com.hazelcast.instance.impl.HazelcastInstanceFactory");

    private final boolean verbose;

    private HazelcastTransport(boolean verbose) {
        this.verbose = verbose;
    }

    /** Hazelcast with its own log at WARNING and above (unless configured otherwise through java.util.logging). */
    public static HazelcastTransport create() {
        return new HazelcastTransport(false);
    }

    /** Hazelcast with its INFO log (joins, connections, partition tables), for diagnosing a cluster. */
    public static HazelcastTransport verbose() {
        return new HazelcastTransport(true);
    }

    private void quiet() {
        if (!verbose && HAZELCAST_LOG.getLevel() == null) {
            HAZELCAST_LOG.setLevel(Level.WARNING);
            INSTANCE_FACTORY_LOG.setLevel(Level.SEVERE);
        }
    }

    private static JavaSerializationFilterConfig refuseJavaSerialization() {
        // Hazelcast's default allow-list admits java.*, so it is disabled, and every class name is on the deny-list
        // (an empty allow-list would not restrict anything): no class may be Java-deserialised.
        JavaSerializationFilterConfig f = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        f.getBlacklist().addPrefixes("");
        return f;
    }

    @Override
    public LearnerLink bind(String clusterName, String hostPort, Duration heartbeatTimeout) {
        HostPort hp = HostPort.parse(hostPort);
        quiet();
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName("proxima-learner-" + clusterName + "-" + UUID.randomUUID());
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        // Hazelcast's own shutdown hook would close the learner's endpoint on SIGINT/SIGTERM and fail every worker
        // mid-rollout; the trainer stops between updates and closes the collector itself.
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.client.max.no.heartbeat.seconds",
                Long.toString(Math.max(1, heartbeatTimeout.toSeconds())));
        c.getJetConfig().setEnabled(false);
        c.getSerializationConfig().setJavaSerializationFilterConfig(refuseJavaSerialization());
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(hp.port()).setPortAutoIncrement(hp.autoIncrement()).setPortCount(100);
        String ip = hp.ip();
        n.getInterfaces().setEnabled(true).addInterface(ip);
        JoinConfig join = n.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of(ip));
        HazelcastInstance hz;
        try {
            hz = Hazelcast.newHazelcastInstance(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the cluster's learner endpoint on " + hostPort + ": " + e
                    + ". Is the address one of this machine's interfaces, and the port free?", e);
        }
        return new Learner(hz, ip);
    }

    @Override
    public WorkerLink connect(String clusterName, String hostPort, Duration connectTimeout,
            Duration heartbeatTimeout) {
        HostPort hp = HostPort.parse(hostPort);
        quiet();
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setInstanceName("proxima-worker-" + UUID.randomUUID());
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.shutdownhook.enabled", "false"); // the worker finishes its rollout, then closes
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(heartbeatTimeout.toMillis()));
        c.setProperty("hazelcast.client.heartbeat.interval",
                Long.toString(Math.max(500, Math.min(5000, heartbeatTimeout.toMillis() / 4))));
        c.getSerializationConfig().setJavaSerializationFilterConfig(refuseJavaSerialization());
        c.getNetworkConfig().addAddress(hp.host() + ":" + hp.port()).setSmartRouting(false);
        c.getConnectionStrategyConfig().setAsyncStart(false)
                .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.OFF)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not join the learner at " + hostPort + " as cluster \""
                    + clusterName + "\" within " + connectTimeout.toSeconds() + " s: no learner listens there, or it"
                    + " runs another cluster name (each run has its own: give the learner's with --cluster). " + e,
                    e);
        }
        return new WorkerEnd(client);
    }

    /** {@code host:port} with the learner's conventions: host 127.0.0.1 and port 5701 unless given. */
    private record HostPort(String host, int port, boolean autoIncrement) {
        static HostPort parse(String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            String host = colon < 0 ? t : t.substring(0, colon);
            boolean portGiven = colon >= 0;
            int port = 5701;
            if (portGiven) {
                try {
                    port = Integer.parseInt(t.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("address \"" + text + "\": the port must be a number in"
                            + " [1, 65535], e.g. 127.0.0.1:5701");
                }
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            return new HostPort(host, port, !portGiven);
        }

        String ip() {
            try {
                return InetAddress.getByName(host).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("address " + host + " does not resolve: " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static byte[] frame(String from, byte[] body) {
        byte[] id = from.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + id.length + body.length).putInt(id.length).put(id).put(body).array();
    }

    private static LearnerLink.Envelope unframe(byte[] b) {
        if (b.length < 4) {
            return null;
        }
        int n = ByteBuffer.wrap(b).getInt();
        if (n < 1 || n > 64 || 4 + n > b.length) {
            return null;
        }
        String from = new String(b, 4, n, StandardCharsets.UTF_8);
        return new LearnerLink.Envelope(from, Arrays.copyOfRange(b, 4 + n, b.length));
    }

    private static final class Learner implements LearnerLink {
        private final HazelcastInstance hz;
        private final IQueue<Object> inbox;
        private final String address;
        private final AtomicLong refused = new AtomicLong();
        private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();

        Learner(HazelcastInstance hz, String ip) {
            this.hz = hz;
            this.inbox = hz.getQueue(LEARNER_INBOX);
            java.net.InetSocketAddress a = (java.net.InetSocketAddress) hz.getLocalEndpoint().getSocketAddress();
            this.address = ip + ":" + a.getPort();
            hz.getClientService().addClientListener(new ClientListener() {
                @Override
                public void clientConnected(Client client) {}

                @Override
                public void clientDisconnected(Client client) {
                    String id = client.getUuid().toString();
                    for (Consumer<String> l : lostListeners) {
                        l.accept(id);
                    }
                }
            });
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public void send(String worker, byte[] message) {
            hz.getQueue(WORKER_INBOX + worker).offer(message);
        }

        @Override
        public Envelope receive(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = deadline - System.nanoTime();
                Object o;
                try {
                    o = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : inbox.poll();
                } catch (RuntimeException e) {
                    // Deserialisation refused (a Java-serialised object, blocked by the filter) or damaged: the item
                    // is already out of the queue.
                    refused.incrementAndGet();
                    System.getLogger("dev.proxima.cluster").log(System.Logger.Level.WARNING,
                            "refused a message that is not Proxima's: " + e);
                    continue;
                }
                if (o == null) {
                    return null;
                }
                Envelope e = o instanceof byte[] b ? unframe(b) : null;
                if (e == null) {
                    refused.incrementAndGet();
                    continue;
                }
                return e;
            }
        }

        @Override
        public void onLost(Consumer<String> listener) {
            lostListeners.add(listener);
        }

        @Override
        public void forget(String worker) {
            try {
                hz.getQueue(WORKER_INBOX + worker).destroy();
            } catch (RuntimeException e) {
                // already gone
            }
        }

        @Override
        public long refused() {
            return refused.get();
        }

        @Override
        public void close() {
            hz.shutdown();
        }
    }

    private static final class WorkerEnd implements WorkerLink {
        private final HazelcastInstance client;
        private final String id;
        private final IQueue<Object> inbox;
        private final IQueue<Object> learner;
        private volatile boolean connected = true;

        WorkerEnd(HazelcastInstance client) {
            this.client = client;
            this.id = client.getLocalEndpoint().getUuid().toString();
            this.inbox = client.getQueue(WORKER_INBOX + id);
            this.learner = client.getQueue(LEARNER_INBOX);
            client.getLifecycleService().addLifecycleListener(e -> {
                if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED
                        || e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN
                        || e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                    connected = false;
                }
            });
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void send(byte[] message) {
            learner.offer(frame(id, message));
        }

        @Override
        public byte[] receive(long timeoutMillis) throws InterruptedException {
            Object o = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            return o instanceof byte[] b ? b : null;
        }

        @Override
        public boolean connected() {
            return connected && client.getLifecycleService().isRunning();
        }

        @Override
        public void close() {
            connected = false;
            client.shutdown();
        }
    }
}
