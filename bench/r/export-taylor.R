# Writes forecast::taylor (half-hourly electricity demand, England & Wales, 5 Jun – 27 Aug 2000,
# 12 weeks = 4032 points) as ts,volume for `callcast backtest` and compare.R.
#   Rscript bench/r/export-taylor.R examples/forecast/taylor.csv
suppressPackageStartupMessages(library(forecast))
out <- commandArgs(trailingOnly = TRUE)[1]
ts <- format(as.POSIXct("2000-06-05 00:00:00", tz = "UTC") + (seq_along(taylor) - 1) * 1800, "%Y-%m-%dT%H:%M:%S")
write.csv(data.frame(ts = ts, volume = as.numeric(taylor)), out, row.names = FALSE, quote = FALSE)
