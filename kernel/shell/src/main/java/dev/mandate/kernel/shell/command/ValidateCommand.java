package dev.mandate.kernel.shell.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mandate.kernel.intent.BlueprintValidator;
import dev.mandate.kernel.intent.Problem;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;

@Command(scope = "mandate", name = "validate", description = "Checks an intent file as loading would, without loading it")
@Service
public class ValidateCommand implements Action {

    @Reference
    BlueprintValidator validator;

    @Argument(index = 0, name = "file", required = true, description = "A YAML file of Blueprint, Team, Ownership, Waiver or FreezeWindow documents")
    @Completion(FileCompleter.class)
    String file;

    @Override
    public Object execute() {
        return execute(System.out, System.err);
    }

    /**
     * Prints "valid" or every problem; a file with problems, or one that cannot be read, fails the command
     * (Karaf prints the message and {@code bin/client} exits non-zero, so a pipeline can gate on it).
     */
    Object execute(PrintStream out, PrintStream err) {
        Path path = Path.of(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot read '" + file + "': " + e.getMessage());
            throw new IllegalArgumentException("cannot read '" + file + "'", e);
        }
        List<Problem> problems = validator.validate(path.getFileName().toString(), text);
        if (problems.isEmpty()) {
            out.println(path.getFileName() + ": valid");
            return null;
        }
        problems.forEach(out::println);
        throw new IllegalArgumentException("'" + path.getFileName() + "' has " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems"));
    }
}
