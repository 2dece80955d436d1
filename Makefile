.PHONY: run test messages bench bench-vae bench-gan bench-jobs bench-review bench-copy bench-web bench-assistant bench-recs

run:  ## set up everything and run web, worker, beat and Redis
	@bash scripts/run.sh

test:  ## the whole test suite, with a real Redis, Celery worker and Chromium
	@bash scripts/test.sh $(ARGS)

messages:  ## the dashboard's translation catalogs made anew from the code (then translate what is new in locale/)
	@bash scripts/messages.sh

bench:  ## demo import time and catalog page latency through the real web server
	@bash scripts/bench.sh catalog

DEVICE ?= auto
MINUTES ?= 10
DATASET ?= fashion-mnist
bench-gan:  ## GAN against a plain DCGAN baseline, same data, same wall-clock budget (DATASET=fashion-products: the shop's photos)
	@bash scripts/bench.sh gan --device $(DEVICE) --minutes $(MINUTES) --dataset $(DATASET)

bench-vae:  ## the VAE against the textbook conditional VAE and our GAN, same data and budget (MINUTES, DATASET): FD, category share, variations, the photo check on planted mislabelled photos
	@bash scripts/bench.sh vae --device $(DEVICE) --minutes $(MINUTES) --dataset $(DATASET)

bench-jobs:  ## click Start -> first progress, and progress-request latency, through a real worker and browser
	@bash scripts/bench.sh jobs

bench-review:  ## review queue latency with 10,000 pending items; Generate -> first item and 1,000 items in the queue
	@bash scripts/bench.sh review

DEMOS ?= fashion-mnist fashion-products
bench-copy:  ## the built-in copywriter on each demo (DEMOS) and the test fixture shop: fact coverage, time to usable, variants per second, share passing grounding
	@for demo in $(DEMOS) shop-fixture; do bash scripts/bench.sh copy --dataset $$demo || exit 1; done

DB ?= sqlite
bench-web:  ## 50 users through locust on the full demo (DB=postgres: a private PostgreSQL): req/s, p50/p95/p99, errors
	@bash scripts/bench.sh web --database $(DB)

bench-assistant:  ## the shopper assistant on real shoppers' questions (ePQA) and on each demo (DEMOS): answer latency, the question set's shares, the storefront API under 50 shoppers
	@bash scripts/bench.sh epqa
	@for demo in $(DEMOS); do bash scripts/bench.sh assistant --dataset $$demo || exit 1; done

bench-recs:  ## the recommender on real supermarket purchases (Ta-Feng) and on each demo (DEMOS) with 20,000 simulated shoppers and 1M events: the model chosen per shop against popularity and co-occurrence, learnt pairings, serving under 50 shoppers (DB=postgres: on a private PostgreSQL); import_events' memory at 1M and 5M rows
	@bash scripts/bench.sh tafeng
	@for demo in $(DEMOS); do BENCH_RECS_DATABASE=$(DB) bash scripts/bench.sh recs --dataset $$demo || exit 1; done
	@bash scripts/bench.sh events_import
