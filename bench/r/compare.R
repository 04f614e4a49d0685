# R baselines for docs/forecasting.md: forecast::dshw, tbats, stlf and Prophet on the SAME
# rolling origins as `callcast backtest` (back-to-back windows of `horizon` at the end of the
# series). Metrics are computed exactly as in forecasts/backtest: pooled WAPE, mean MASE
# (scale: in-sample weekly seasonal naive), pooled daily-total WAPE, mean fit seconds.
# Forecasts are clipped at 0, as Callcast's are.
#
#   Rscript bench/r/compare.R <series.csv> <season> <origins> <horizon> [models] [tbats_weeks] [week]
# models: dshw, stlf (MSTL + ETS), stlf_arima (MSTL + auto.arima on the adjusted series), tbats, prophet
#   e.g. Rscript bench/r/compare.R /work/shared/data/anonymous-bank-1999-30min.csv 48 4 480 dshw,stlf,tbats,prophet 12
suppressPackageStartupMessages({ library(forecast) })
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]; season <- as.integer(args[2]); origins <- as.integer(args[3]); h <- as.integer(args[4])
models <- if (length(args) >= 5) strsplit(args[5], ",")[[1]] else c("dshw", "stlf", "tbats", "prophet")
tbats_weeks <- if (length(args) >= 6) as.integer(args[6]) else 12
week <- if (length(args) >= 7) as.integer(args[7]) else 7L; P <- season * week
d <- read.csv(file, stringsAsFactors = FALSE)
y <- as.numeric(d$volume); n <- length(y)
ts_time <- as.POSIXct(sub("T", " ", d$ts), tz = "UTC")
cuts <- n - (origins:1) * h

fit_one <- function(model, train, train_time) {
  x <- msts(train, seasonal.periods = c(season, P))
  switch(model,
    dshw = {
      # dshw is multiplicative: it needs positive data, so fit on y + 1 and subtract it again
      as.numeric(dshw(x + 1, period1 = season, period2 = P, h = h)$mean) - 1
    },
    stlf = as.numeric(stlf(x, h = h)$mean),
    stlf_arima = as.numeric(stlf(x, h = h, method = "arima")$mean),
    tbats = {
      keep <- min(length(train), tbats_weeks * P)
      xt <- msts(tail(train, keep), seasonal.periods = c(season, P))
      as.numeric(forecast(tbats(xt, use.parallel = FALSE), h = h)$mean)
    },
    prophet = {
      suppressPackageStartupMessages(library(prophet))
      df <- data.frame(ds = train_time, y = train)
      m <- prophet(df, daily.seasonality = TRUE, weekly.seasonality = TRUE, yearly.seasonality = FALSE)
      fut <- data.frame(ds = train_time[length(train_time)] + (1:h) * 86400 / season)
      as.numeric(predict(m, fut)$yhat)
    })
}

result <- list()
for (model in models) {
  err <- 0; tot <- 0; derr <- 0; dtot <- 0; mase <- c(); secs <- c(); fails <- 0
  for (cut in cuts) {
    train <- y[1:cut]; actual <- y[(cut + 1):(cut + h)]
    t0 <- Sys.time()
    f <- tryCatch(fit_one(model, train, ts_time[1:cut]), error = function(e) { message(model, ": ", conditionMessage(e)); NULL })
    secs <- c(secs, as.numeric(difftime(Sys.time(), t0, units = "secs")))
    if (is.null(f)) { fails <- fails + 1; next }
    f <- pmax(f, 0)
    err <- err + sum(abs(actual - f)); tot <- tot + sum(abs(actual))
    day <- floor((cut + 0:(h - 1)) / season)
    da <- tapply(actual, day, sum); df <- tapply(f, day, sum)
    derr <- derr + sum(abs(da - df)); dtot <- dtot + sum(abs(da))
    scale <- mean(abs(train[(P + 1):cut] - train[1:(cut - P)]))
    mase <- c(mase, mean(abs(actual - f)) / scale)
  }
  result[[model]] <- sprintf('"%s": {"wape": %.4f, "mase": %.4f, "dailyWape": %.4f, "fitSeconds": %.2f, "failures": %d}',
                             model, err / tot, mean(mase), derr / dtot, mean(secs), fails)
  message(result[[model]])  # progress: one line per finished model
}
cat(sprintf('{\n  "input": "%s", "points": %d, "season": %d, "horizon": %d, "origins": [%s],\n  "models": {\n    %s\n  }\n}\n',
            file, n, season, h, paste(cuts, collapse = ", "), paste(unlist(result), collapse = ",\n    ")))
