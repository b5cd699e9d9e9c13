/** The DirectRunner's entry points for laptops: the demo behind {@code ./sluice demo}. */
package dev.sluice.runners.direct;
