package dev.mandate.kernel.auth.internal;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import dev.mandate.api.decision.Actor;
import dev.mandate.api.decision.ActorKind;

/**
 * Authenticates against a JAAS realm (Karaf's {@code karaf} realm by default: etc/users.properties,
 * or LDAP when the realm is configured so) and maps the subject to an actor: the user name is the
 * actor id, the role and group principals are its groups (team membership is by group), a role in
 * {@code aiRoles} makes it an AI and one in {@code systemRoles} a system, and the assurance is
 * {@code password}.
 */
public final class JaasAuthenticator {

    static final String ASSURANCE = "password";

    private final String realm;
    private final Configuration configuration;
    private final Set<String> aiRoles;
    private final Set<String> systemRoles;

    /**
     * @param configuration the JAAS configuration to read the realm from, or {@code null} for the
     *                      one installed in the JVM (Karaf's)
     */
    public JaasAuthenticator(String realm, Configuration configuration, List<String> aiRoles, List<String> systemRoles) {
        this.realm = realm;
        this.configuration = configuration;
        this.aiRoles = Set.copyOf(aiRoles);
        this.systemRoles = Set.copyOf(systemRoles);
    }

    /** The actor these credentials belong to, or empty when they are wrong. Blocks for the identity store. */
    public Optional<Actor> authenticate(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // the realm's login modules (Karaf's ProxyLoginModule) are found through the application class path
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LoginContext login = configuration == null
                    ? new LoginContext(realm, subject, callbacks -> answer(callbacks, user, password))
                    : new LoginContext(realm, subject, callbacks -> answer(callbacks, user, password), configuration);
            login.login();
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return Optional.of(actorOf(user, subject));
    }

    private Actor actorOf(String user, Subject subject) {
        Set<String> groups = new TreeSet<>();
        for (Principal principal : subject.getPrincipals()) {
            String type = principal.getClass().getSimpleName();
            if (type.endsWith("RolePrincipal") || type.endsWith("GroupPrincipal")) {
                groups.add(principal.getName());
            }
        }
        ActorKind kind = groups.stream().anyMatch(aiRoles::contains) ? ActorKind.AI
                : groups.stream().anyMatch(systemRoles::contains) ? ActorKind.SYSTEM : ActorKind.HUMAN;
        return new Actor(user, kind, null, List.copyOf(groups), null, ASSURANCE);
    }

    private static void answer(Callback[] callbacks, String user, char[] password) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
