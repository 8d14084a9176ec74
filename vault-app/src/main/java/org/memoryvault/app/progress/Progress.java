package org.memoryvault.app.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one long task with a known amount of work, for a person at a terminal: a bar with
 * the count, rate and time left on stderr (me.tongfei:progressbar), or nothing at all when stderr
 * is not a terminal or the output is JSON ({@link #none}). Long commands (bench today; rekey,
 * backup, restore and import as they come) take a {@link Factory} and report through it.
 */
public interface Progress extends AutoCloseable {
    /** {@code n} more units are done. */
    void step(long n);

    /** The task is over (the bar shows its final count). */
    @Override void close();

    /** Makes the progress of one task: its name and total number of units. */
    @FunctionalInterface
    interface Factory {
        Progress start(String task, long total);
    }

    /** A factory whose tasks show nothing. */
    static Factory none() { return (task, total) -> new Progress() {
        @Override public void step(long n) { }

        @Override public void close() { }
    }; }

    /** Bars on {@code terminal}: use only when it is a terminal. */
    static Factory bars(PrintStream terminal) { return bars(terminal, false); }

    /** Bars on {@code terminal} for work counted in bytes, shown in MiB. */
    static Factory byteBars(PrintStream terminal) { return bars(terminal, true); }

    private static Factory bars(PrintStream terminal, boolean bytes) {
        return (task, total) -> {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).showSpeed().setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal, 100));
            if (bytes && total >= 0 && total < 4L << 20) b.setUnit(" KiB", 1 << 10);   // a small file in MiB reads 0/0
            else if (bytes) b.setUnit(" MiB", 1 << 20);
            ProgressBar bar = b.build();
            return new Progress() {
                @Override public void step(long n) { bar.stepBy(n); }

                @Override public void close() { bar.close(); }
            };
        };
    }
}
