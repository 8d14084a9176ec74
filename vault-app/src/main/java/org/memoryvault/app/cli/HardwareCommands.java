package org.memoryvault.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.hardware.tpm.Tpm2SlotBackend;
import org.memoryvault.hardware.yubikey.HidYubiKeys;
import picocli.CommandLine.Command;

/** {@code vault hardware status}: which devices this machine offers the vault (docs/HARDWARE.md). Opens no vault. */
@Command(name = "hardware", mixinStandardHelpOptions = true, description = "Hardware the vault can use on this machine.",
        subcommands = {HardwareCommands.Status.class, HardwareCommands.Counter.class})
final class HardwareCommands {
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether a TPM answers ($MEMORY_VAULT_TPM, default /dev/tpmrm0) and which YubiKeys and FIDO authenticators USB HID shows.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            VaultCli root = (VaultCli) spec.root().userObject();
            String device = Tpm2SlotBackend.configuredDevice();
            Optional<String> tpmProblem = Tpm2SlotBackend.probe(device);
            String hid = HidYubiKeys.survey();
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("device", device);
            t.put("answers", tpmProblem.isEmpty());
            t.put("problem", tpmProblem.orElse(null));
            out.put("tpm", t);
            out.put("hid", hid);
            String text = "TPM 2.0 at " + device + ": " + tpmProblem.map(p -> "no (" + p + ")").orElse("answers")
                    + "\nUSB HID: " + hid;
            root.io.out().println(root.json ? Json.write(out) : text);
            root.io.out().flush();
            return 0;
        }
    }

    @Command(name = "counter", mixinStandardHelpOptions = true, description = "The TPM NV counter that anchors owner seals against rollback.",
            subcommands = {CounterDefine.class})
    static final class Counter {}

    @Command(name = "define", mixinStandardHelpOptions = true,
            description = {"Define a TPM NV counter (if it is not there yet) and print the value for `vault config set audit.tpm-counter`,",
                    "which anchors every later owner seal to it (docs/HARDWARE.md §6). Opens no vault."})
    static final class CounterDefine implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Option(names = "--index", defaultValue = "0x01500016", paramLabel = "0x01XXXXXX",
                description = "The NV index, 0x01000000-0x01bfffff (default: ${DEFAULT-VALUE}).")
        String index;

        @Override
        public Integer call() {
            VaultCli root = (VaultCli) spec.root().userObject();
            String device = Tpm2SlotBackend.configuredDevice();
            String[] defined = org.memoryvault.hardware.tpm.TpmRollbackCounter.define(device,
                    org.memoryvault.hardware.tpm.TpmRollbackCounter.parseIndex(index));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("device", device);
            out.put("setting", defined[0]);
            out.put("value", Long.parseLong(defined[1]));
            String text = "NV counter " + index + " on the TPM at " + device + " is at " + defined[1] + ".\nAnchor the owner seals to it"
                    + " (an owner ceremony):\n  vault config set audit.tpm-counter " + defined[0] + " --passphrase-file FILE";
            root.io.out().println(root.json ? Json.write(out) : text);
            root.io.out().flush();
            return 0;
        }
    }
}
