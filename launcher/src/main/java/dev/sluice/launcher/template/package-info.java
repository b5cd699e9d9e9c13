/**
 * Templates: a job plus typed, documented, validated parameters, read from the checked-in files in
 * {@code templates/}, and turned into the job's flags for {@code ./sluice template run}. Depends on
 * the jobs ({@code cli.Jobs}) and on nothing runner-specific.
 */
package dev.sluice.launcher.template;
