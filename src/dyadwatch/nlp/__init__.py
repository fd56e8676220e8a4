"""NLP stage: sentences, actor mentions, dates, quotes and figures from cleaned documents."""
